"""Real processes: renders with Ctrl-C, failures, parallel jobs, concurrent runs, and the
project's ForwardPass scene (marked slow), and the entry points' quick answers (not).

Tiny scenes come from tests/cli_scenes.py, rendered at 192x108 and 5 fps.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SMALL, TINY, probe_video


def command(*args):
    return [sys.executable, str(ROOT / "render.py"), *map(str, args)]


def run(*args, env=None, timeout=300):
    return subprocess.run(command(*args), check=False, cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def errors(stderr: str) -> list[str]:
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("Error:")]


def leftovers(out: Path, cache: Path) -> list[str]:
    """Temporary files in the output directory, working directories of runs in the cache."""
    hidden = [p.name for p in out.iterdir() if p.name.startswith(".")] if out.exists() else []
    staging = cache / "staging"
    return hidden + ([p.name for p in staging.iterdir()] if staging.exists() else [])


def processes_with(marker: str) -> list[int]:
    """Processes whose environment mentions `marker` (the render and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_keeps_the_earlier_file_and_leaves_nothing_partial(tmp_path, jobs):
    out, cache, marker = tmp_path / "out", tmp_path / "cache", tmp_path / "started"
    out.mkdir()
    earlier = b"an earlier, complete render"
    (out / "Slow.mp4").write_bytes(earlier)
    scenes = ["Slow"] if jobs == 1 else ["Slow", "Tiny"]
    proc = subprocess.Popen(
        command("render", "--module", TINY, *scenes, *SMALL, "-o", out, "--cache-dir", cache,
                "--jobs", jobs),
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CLI_TEST_STARTED": str(marker)})
    deadline = time.monotonic() + 60
    # Slow has started; with two jobs, the quick scene is published (however loaded the machine)
    while not marker.exists() or (jobs == 2 and not (out / "Tiny.mp4").exists()):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    time.sleep(0.3)                      # well inside the render: partial movies in flight
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert errors(stderr) == ["Error: interrupted (not written: Slow)"]
    assert (out / "Slow.mp4").read_bytes() == earlier
    assert leftovers(out, cache) == []
    assert processes_with(str(marker)) == [], "no worker is left running"
    if jobs == 2:       # the quick scene finished before Ctrl-C and was published whole
        assert stdout == f"{out / 'Tiny.mp4'}\n" and probe_video(out / "Tiny.mp4").frames == 5
    else:
        assert stdout == "" and sorted(p.name for p in out.iterdir()) == ["Slow.mp4"]
    # The cache is still sound: the scene renders completely afterwards.
    again = run("render", "--module", TINY, "Slow", *SMALL, "-o", out, "--cache-dir", cache)
    assert again.returncode == 0, again.stderr
    assert probe_video(out / "Slow.mp4").frames == 300


@pytest.mark.slow
def test_failing_render_in_parallel_processes(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    out.mkdir()
    (out / "Broken.mp4").write_bytes(b"earlier")
    proc = run("render", "--module", TINY, "Broken", "Tiny", *SMALL, "-o", out,
               "--cache-dir", cache, "--jobs", "2")
    assert proc.returncode == 1
    assert errors(proc.stderr) == [("Error: Broken failed: RuntimeError: boom in construct "
                                    "(run with --debug for the traceback)")]
    assert proc.stdout == f"{out / 'Tiny.mp4'}\n"
    assert (out / "Broken.mp4").read_bytes() == b"earlier"
    assert sorted(p.name for p in out.iterdir()) == ["Broken.mp4", "Tiny.mp4", "Tiny.srt"]
    assert leftovers(out, cache) == []


@pytest.mark.slow
def test_parallel_jobs_render_every_scene(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    proc = run("render", "--module", TINY, "Tiny", "Other", "Slow", *SMALL, "-o", out,
               "--cache-dir", cache, "-j", "2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [str(out / f"{s}.mp4") for s in ("Tiny", "Other", "Slow")]
    frames = [probe_video(out / f"{s}.mp4").frames for s in ("Tiny", "Other", "Slow")]
    assert frames == [5, 6, 300]


@pytest.mark.slow
def test_two_renders_at_once_into_one_directory(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = ["render", "--module", TINY, "Slow", "Tiny", *SMALL, "-o", out, "--cache-dir", cache]
    procs = [subprocess.Popen(command(*args), cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (stdout, stderr) in zip(procs, results):
        assert proc.returncode == 0, stderr
        assert stdout.splitlines() == [str(out / "Slow.mp4"), str(out / "Tiny.mp4")]
    assert probe_video(out / "Slow.mp4").frames == 300
    assert probe_video(out / "Tiny.mp4").frames == 5
    assert {p.name for p in out.iterdir()} == {"Slow.mp4", "Tiny.mp4", "Tiny.srt"}
    assert leftovers(out, cache) == []


def test_usage_error_from_a_real_process_is_one_line():
    proc = run("render", "forward", "--fps", "0")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == ("Error: --fps: expected frames per second, a number from 1 to "
                           "240, got '0'\n")


@pytest.mark.slow
def test_forward_pass_for_real(tmp_path):
    """The project's scene, end to end: video, subtitles, then a cached re-render."""
    from scenes import SCENES
    if "ForwardPass" not in SCENES:
        pytest.skip("no ForwardPass scene")
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = run("render", "forward", *SMALL, "-o", out, "--cache-dir", cache)
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"{out / 'ForwardPass.mp4'}\n"
    assert sorted(p.name for p in out.iterdir()) == ["ForwardPass.mp4", "ForwardPass.srt"]
    subtitles = (out / "ForwardPass.srt").read_text()
    assert subtitles.startswith("1\n00:00:00,000 --> ")
    assert probe_video(out / "ForwardPass.mp4").frames > 5 * 20, "tens of seconds at 5 fps"

    started = time.monotonic()
    again = run("render", "ForwardPass", *SMALL, "-o", out, "--cache-dir", cache)
    assert again.returncode == 0 and "unchanged, reused the previous render" in again.stderr
    assert time.monotonic() - started < 10

    still = run("render", "forward", *SMALL, "--format", "png", "--layers", "2,2,1",
                "--activation", "tanh", "-o", out, "--cache-dir", cache)
    assert still.returncode == 0, still.stderr
    assert still.stdout == f"{out / 'ForwardPass.png'}\n"


@pytest.mark.slow
def test_stills_in_parallel_processes(tmp_path):
    """Two story scenes at once: one PNG per beat each, printed in the order asked."""
    from PIL import Image

    from scenes import SCENES
    out, cache = tmp_path / "out", tmp_path / "cache"
    proc = run("stills", "loss", "anatomy", "--resolution", "240x135", "--theme", "light",
               "-j", "2", "-o", out, "--cache-dir", cache)
    assert proc.returncode == 0, proc.stderr
    names = [f"{scene}-{n:02d}-{beat}.png" for scene in ("OuchMoment", "NetworkAnatomy")
             for n, beat in enumerate(SCENES[scene].beats, 1)]
    assert proc.stdout.splitlines() == [str(out / name) for name in names]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    with Image.open(out / names[-1]) as image:
        assert image.size == (240, 135) and image.getpixel((0, 0))[:3] == (255, 255, 255)
    assert leftovers(out, cache) == []


def test_console_script_works_from_any_directory(tmp_path):
    script = Path(sys.executable).with_name("backprop-video")
    if not script.exists():
        pytest.skip("backprop-video is not installed in this environment")
    proc = subprocess.run([str(script), "list", "--no-measure", "--cache-dir", tmp_path / "c"],
                          check=False, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("SCENE")
