"""Progress on stderr: one bar over all scenes, one per scene being rendered.

On a terminal the bars redraw in place; otherwise (logs, pipes, tests, a terminal that
cannot move the cursor: TERM=dumb) each scene gets a line when it starts and when it
ends. A closed or vanished stderr is never an error: progress is only for people.
"""

import contextlib
import os
import shutil
import sys
import time

STATUS = {
    "done": "done in {elapsed}",
    "cached": "unchanged, reused the previous render",
    "failed": "failed after {elapsed}",
    "interrupted": "interrupted",
}


def clock(seconds: float) -> str:
    """0:42, 12:05."""
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def took(seconds: float) -> str:
    return f"{seconds:.1f}s" if seconds < 60 else f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


def can_redraw(stream) -> bool:
    """Bars need a terminal that understands cursor movement (not TERM=dumb)."""
    try:
        tty = stream is not None and stream.isatty()
    except (OSError, ValueError, AttributeError):
        tty = False
    return tty and os.environ.get("TERM") != "dumb"


class Progress:
    def __init__(self, scenes: list[str], durations: dict, stream=None, bars: bool | None = None,
                 activity: str = "rendering"):
        self.stream = stream or sys.stderr
        self.activity = activity
        self.scenes = scenes
        self.durations = durations
        self.bars = can_redraw(self.stream) if bars is None else bars
        self.started_at: dict[str, float] = {}
        self.seconds: dict[str, float] = {}
        self.finished = 0
        self.scene_bars: dict = {}
        self.rows: dict[str, int] = {}
        self.milestones: dict[str, int] = {}
        self.free_rows: list[int] = []
        self.overall = None
        if self.bars:
            self._open_overall()

    # -- events ---------------------------------------------------------------------------

    def started(self, scene: str) -> None:
        self.started_at[scene] = time.monotonic()
        self.seconds[scene] = 0.0
        if self.bars:
            self._open_scene_bar(scene)
        else:
            length = self.durations.get(scene)
            about = f" (about {clock(length)} of video)" if length else ""
            self._line(scene, f"{self.activity}{about}")

    def waiting(self, scene: str) -> None:
        self._line(scene, "waiting for another render of this scene to finish")

    def update(self, scene: str, seconds: float) -> None:
        self.seconds[scene] = seconds
        if not self.bars:
            self._milestone(scene, seconds)
        bar = self.scene_bars.get(scene)
        if bar is not None:
            total = bar.total
            bar.n = min(seconds, total) if total else seconds
            bar.refresh()
            self._refresh_overall()

    def finished_scene(self, scene: str, status: str) -> None:
        elapsed = time.monotonic() - self.started_at.get(scene, time.monotonic())
        self.finished += 1
        bar = self.scene_bars.pop(scene, None)
        if bar is not None:
            self.free_rows.append(self.rows.pop(scene))
            bar.close()
        self._line(scene, STATUS[status].format(elapsed=took(elapsed)))
        self._refresh_overall()

    def close(self) -> None:
        for bar in self.scene_bars.values():
            bar.close()
        self.scene_bars.clear()
        if self.overall is not None:
            self.overall.close()
            self.overall = None

    # -- drawing --------------------------------------------------------------------------

    def _milestone(self, scene: str, seconds: float) -> None:
        """Without bars, a line now and then: each quarter of a scene of known length,
        else every minute of rendering."""
        length = self.durations.get(scene)
        if length:
            step = int(4 * min(seconds / length, 0.999))
            mark = f"{25 * step}%"
        else:
            step = int((time.monotonic() - self.started_at.get(scene, 0.0)) // 60)
            mark = f"{clock(seconds)} of video"
        if step > self.milestones.get(scene, 0):
            self.milestones[scene] = step
            self._line(scene, f"{mark} rendered")

    def _tag(self, scene: str) -> str:
        number = self.scenes.index(scene) + 1 if scene in self.scenes else 0
        return f"[{number}/{len(self.scenes)}] {scene}"

    def _line(self, scene: str, text: str) -> None:
        message = f"{self._tag(scene)}: {text}"
        if self.stream is None:
            return
        with contextlib.suppress(OSError, ValueError):   # a closed or vanished terminal
            if self.bars:
                from tqdm import tqdm
                tqdm.write(message, file=self.stream)
            else:
                print(message, file=self.stream, flush=True)

    @staticmethod
    def _width() -> int:
        return max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))

    @staticmethod
    def _height() -> int:
        return max(shutil.get_terminal_size((100, 24)).lines, 10)

    def _open_overall(self) -> None:
        from tqdm import tqdm
        self.overall = tqdm(total=len(self.scenes), file=self.stream, position=0, leave=False,
                            ncols=self._width(), nrows=self._height(),
                            bar_format="{desc} {percentage:3.0f}%|{bar:30}| [{elapsed}<{remaining}]")
        self._refresh_overall()

    def _refresh_overall(self) -> None:
        if self.overall is None:
            return
        partial = 0.0
        for scene in self.scene_bars:
            length = self.durations.get(scene)
            if length:
                partial += min(self.seconds.get(scene, 0.0) / length, 1.0)
        self.overall.n = self.finished + partial
        self.overall.set_description_str(f"{self.finished}/{len(self.scenes)} scenes done",
                                         refresh=False)
        self.overall.refresh()

    def _open_scene_bar(self, scene: str) -> None:
        from tqdm import tqdm
        row = min(self.free_rows) if self.free_rows else len(self.scene_bars) + 1
        if row in self.free_rows:
            self.free_rows.remove(row)
        self.rows[scene] = row
        length = self.durations.get(scene)
        if length:
            fmt = ("{desc} {percentage:3.0f}%|{bar:30}| {n:.0f}/{total:.0f}s of video "
                   "[{elapsed}<{remaining}]")
        else:
            fmt = "{desc} {n:.0f}s of video rendered [{elapsed}]"
        bar = tqdm(total=length or None, file=self.stream, position=row, leave=False,
                   ncols=self._width(), nrows=self._height(), bar_format=fmt)
        bar.set_description_str(f"  {scene}")
        self.scene_bars[scene] = bar
