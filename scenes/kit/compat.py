"""Every use of Manim's internals, in one place, so that a Manim upgrade breaks here only.

Each function names the internal it relies on; `tests/test_compat.py` checks each one
against the installed Manim.
"""

import contextlib
import copyreg
import functools
import hashlib
import inspect
import logging
import pathlib
import pickle
import types
import weakref

import numpy as np

MANIM_SERIES = "0.22"   # the Manim series these internals were written for


def forget_svg_paths(mobject):
    """Drop what Manim keeps of the parsed SVG after building the points: each glyph's
    `path_obj` and the text's `id_to_vgroup_dict` (a VGroup per SVG group, read only to
    select Typst labels, which the scenes never do). Nothing reads them again, but every
    copy (each Transform and FadeIn makes some) would deep-copy them: a line of text
    copied four times slower, text-heavy animations several times slower."""
    for part in mobject.get_family():
        if getattr(part, "path_obj", None) is not None:
            part.path_obj = None
        if getattr(part, "id_to_vgroup_dict", None):
            part.id_to_vgroup_dict = {}
    return mobject


TEXT_SURFACE = (16384, 4096)   # pixels of the surface Pango lays a text out on


def texts_never_wrap() -> None:
    """Lay every `Text` out on one line per line of its words, whatever the frame: Manim
    has Pango wrap a text at the frame's pixel width (`Text._text2svg` reads
    `config.pixel_width`) but names the cached SVG without that width, so a text first made
    in a narrow frame stayed wrapped in every later render, and layouts depended on what
    ran before. Texts are laid out on a `TEXT_SURFACE` in a folder of their own (`text_dir`
    / "unwrapped"), away from SVGs cached before this fix."""
    from manim import Text, config

    if getattr(Text._text2svg, "never_wraps", False):
        return
    plain = Text._text2svg

    def _text2svg(self, color):
        saved = config.pixel_width, config.pixel_height, config.text_dir
        config.text_dir = str(config.get_dir("text_dir") / "unwrapped")
        config.pixel_width, config.pixel_height = TEXT_SURFACE
        try:
            return plain(self, color)
        finally:
            config.pixel_width, config.pixel_height, config.text_dir = saved

    _text2svg.never_wraps = True
    Text._text2svg = _text2svg


def last_run_time(scene) -> float:
    """The run time of the animations `scene.play` just played (`Scene.duration`)."""
    return float(scene.duration)


def frame_image(scene):
    """The frame on screen now as a PIL image (`renderer.update_frame`, `camera.get_image`),
    drawn even in a dry run, and even when `draw_nothing` switched drawing off."""
    type(scene.renderer).update_frame(scene.renderer, scene)
    return scene.camera.get_image()


def draw_nothing(scene):
    """Make the scene's renderer skip drawing frames (`renderer.update_frame`), which a
    dry run still does for every play though it writes none; `frame_image` still draws.
    For dry runs that only read the scene's state (tests); returns the scene."""
    scene.renderer.update_frame = lambda *args, **kwargs: None
    return scene


def draw_only_what_is_written(scene):
    """Make the scene's renderer draw no frame for a play it skips (a dry run, a play
    found in the cache, a play left to another process): Manim draws the static frame
    (`renderer.save_static_frame_data`) and each frame (`renderer.render`) of every play,
    even those it writes nowhere, and a still one for a skipped wait
    (`scene.is_current_animation_frozen_frame`). The frame at the end (`scene_finished`)
    is still drawn. Returns the scene."""
    renderer = scene.renderer
    save_static, render = renderer.save_static_frame_data, renderer.render
    frozen = scene.is_current_animation_frozen_frame

    def save_static_frame_data(*args, **kwargs):
        if renderer.skip_animations:
            renderer.static_image = None
            return None
        return save_static(*args, **kwargs)

    def render_frame(*args, **kwargs):
        if not renderer.skip_animations:
            render(*args, **kwargs)

    renderer.save_static_frame_data, renderer.render = save_static_frame_data, render_frame
    scene.is_current_animation_frozen_frame = lambda: not renderer.skip_animations and frozen()
    return scene


def time_skipped_plays_by_their_frames(scene):
    """Make a play the renderer skips while writing the others (found in Manim's cache,
    or left to another process) move the scene's time (`renderer.time`) on by the frames
    its movie has, as a rendered play does: Manim moves it on by the exact run time, so
    after cached plays the sounds added and the subtitles ran ahead of the video (by 7 s
    in a 7-minute explainer). A frozen wait has as many whole frames as fit in its run
    time (`freeze_current_frame`), an animation a frame per step begun before its end.
    A dry run keeps exact times. Returns the scene."""
    from manim import Scene

    renderer = scene.renderer
    play = renderer.play

    def timed_play(scene, *args, **kwargs):
        play(scene, *args, **kwargs)
        if renderer.skip_animations and not renderer._original_skipping_status:
            step, duration = 1 / scene.camera.frame_rate, scene.duration
            frames = (int(duration / step) if Scene.is_current_animation_frozen_frame(scene)
                      else len(np.arange(0, duration, step)))
            renderer.time += frames * step - duration

    renderer.play = timed_play
    return scene


def draw_still_parts_once(scene):
    """Make each frame of a play draw only what changes: Manim draws the mobjects below
    the first animated one once per play (`renderer.save_static_frame_data`) and every
    mobject above it on every frame (`renderer.render` with `scene.moving_mobjects`), the
    caption and the legend included. Here those that stay still, and that nothing drawn
    on every frame could cover, are drawn once into the play's picture too (`_StillLayer`).
    The frames are the same pixels (tests/test_compat.py). Returns the scene."""
    renderer = scene.renderer
    layer = _StillLayer(renderer)
    save_static, render = renderer.save_static_frame_data, renderer.render

    def save_static_frame_data(*args, **kwargs):
        layer.reset()
        return save_static(*args, **kwargs)

    def render_frame(scene, time, moving_mobjects=None):
        if not moving_mobjects:
            return render(scene, time, moving_mobjects)
        renderer.add_frame(layer.draw(scene, moving_mobjects))

    renderer.save_static_frame_data, renderer.render = save_static_frame_data, render_frame
    return scene


PATHS_KEPT = 5000   # Cairo paths a camera keeps before it starts afresh
_PATHS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()   # camera: its paths


def reuse_cairo_paths(scene):
    """Make the scene's camera build a VMobject's Cairo path (`Camera.set_cairo_context_path`,
    a Python loop over its curves, the largest part of drawing) only when its points
    changed since it was last drawn; about half of the mobjects drawn on a frame have
    not (a fill that brightens, a number that holds). The paths are kept away from the
    camera's attributes, which Manim hashes with every play (`get_hash_from_play_call`):
    a play's cache key must not depend on what was drawn before. Returns the scene."""
    from manim.camera.camera import Camera

    _PATHS[scene.renderer.camera] = {}
    if getattr(Camera.set_cairo_context_path, "reuses_paths", False):
        return scene
    build = Camera.set_cairo_context_path

    def set_cairo_context_path(camera, ctx, vmobject):
        paths, points = _PATHS.get(camera), vmobject.points
        if paths is None or not len(points):
            return build(camera, ctx, vmobject)
        key = points.tobytes()
        known = paths.get(id(vmobject))
        if known is not None and known[0] == key:
            ctx.new_path()
            ctx.append_path(known[1])
            return camera
        build(camera, ctx, vmobject)
        if len(paths) >= PATHS_KEPT:
            paths.clear()
        paths[id(vmobject)] = key, ctx.copy_path()
        return camera

    set_cairo_context_path.reuses_paths = True
    Camera.set_cairo_context_path = set_cairo_context_path
    return scene


class _StillLayer:
    """One play's picture of the still mobjects (`renderer.static_image` plus those of the
    moving list that stay still) and what is in it; rebuilt when one of those changes or
    something drawn on every frame comes to lie under one of them. Frames are drawn on
    copies of the picture: the camera's own `pixel_array` holds the picture, not the
    last frame (Manim draws again before it reads it)."""

    MARGIN_PIXELS = 3   # beyond a mobject's points and stroke: antialiasing

    def __init__(self, renderer):
        self.renderer, self.camera = renderer, renderer.camera
        self.reset()

    def reset(self) -> None:
        self.image, self.animated = None, None
        self.baked, self.looks, self.boxes = [], {}, {}   # in the image: mobjects, looks, boxes
        self.per_frame: set[int] = set()   # ids drawn on every frame for the rest of the play

    def draw(self, scene, moving):
        """A new frame: a copy of the picture with the rest of `moving` drawn on it (in a
        buffer of its own, handed to the encoder as it is: the camera's `pixel_array` is
        that buffer while drawing, its Cairo context dropped after)."""
        shown = self.camera.get_mobjects_to_display(moving)
        if self.animated is None:
            self.animated = _animated_ids(scene)
        if self.image is None or not self._holds(shown):
            self._bake(shown)
        baked = {id(m) for m in self.baked}
        camera, frame = self.camera, self.image.copy()
        own, camera.pixel_array = camera.pixel_array, frame
        try:
            camera.capture_mobjects([m for m in shown if id(m) not in baked],
                                    include_submobjects=False)
        finally:
            camera.pixel_array = own
            camera.pixel_array_to_cairo_context.pop(id(frame), None)
        return frame

    def _box(self, mobject) -> tuple | None:
        """(left, bottom, right, top) of what drawing `mobject` may touch."""
        points = mobject.points
        if not len(points):
            return None
        pad = (0.05 * max(getattr(mobject, "stroke_width", 0) or 0,
                          getattr(mobject, "background_stroke_width", 0) or 0)
               + self.MARGIN_PIXELS * self.camera.frame_width / self.camera.pixel_width)
        (left, bottom), (right, top) = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
        return float(left) - pad, float(bottom) - pad, float(right) + pad, float(top) + pad

    @staticmethod
    def _meets(box, boxes) -> bool:
        return box is not None and any(
            b is not None and b[0] <= box[2] and box[0] <= b[2] and b[1] <= box[3]
            and box[1] <= b[3] for b in boxes)

    def _holds(self, shown) -> bool:
        """Whether every baked mobject is still shown, unchanged, and under nothing drawn
        on every frame that comes before it; those that are not are drawn on every frame
        from now on."""
        baked = {id(m) for m in self.baked}
        holds = baked <= {id(m) for m in shown}
        below = []
        for mobject in shown:
            if id(mobject) not in baked or id(mobject) in self.per_frame:
                below.append(self._box(mobject))
            elif (self.looks[id(mobject)] != _look(mobject)
                  or self._meets(self.boxes[id(mobject)], below)):
                self.per_frame.add(id(mobject))
                below.append(self._box(mobject))
                holds = False
        return holds

    def _bake(self, shown) -> None:
        from manim import VMobject

        below, self.baked, self.boxes = [], [], {}
        for mobject in shown:
            box = self._box(mobject)
            still = (isinstance(mobject, VMobject) and id(mobject) not in self.animated
                     and id(mobject) not in self.per_frame and not self._meets(box, below))
            if still:
                self.baked.append(mobject)
                self.boxes[id(mobject)] = box
            else:
                below.append(box)
        if self.renderer.static_image is not None:
            self.camera.set_frame_to_background(self.renderer.static_image)
        else:
            self.camera.reset()
        self.camera.capture_mobjects(self.baked, include_submobjects=False)
        self.image = self.camera.pixel_array.copy()
        self.looks = {id(m): _look(m) for m in self.baked}


def _animated_ids(scene) -> set[int]:
    """Ids of the mobjects the scene's current animations (`scene.animations`, and those
    in groups) and updaters may change."""
    from manim import AnimationGroup

    found, animations = set(), list(scene.animations or [])
    while animations:
        animation = animations.pop()
        found.update(id(m) for m in animation.mobject.get_family())
        if isinstance(animation, AnimationGroup):
            animations.extend(animation.animations)
    for mobject in scene.get_mobject_family_members():
        if mobject.updaters:
            found.update(id(m) for m in mobject.get_family())
    return found


def _look(mobject) -> tuple:
    """What Manim's Cairo camera draws a VMobject from."""
    return (mobject.points.tobytes(), mobject.fill_rgbas.tobytes(),
            mobject.stroke_rgbas.tobytes(), mobject.background_stroke_rgbas.tobytes(),
            mobject.stroke_width, mobject.background_stroke_width, mobject.sheen_factor,
            tuple(mobject.sheen_direction))


def stable_play_hashes(scene):
    """Make each play's cache key the same in every process: Manim hashes the camera's
    attributes with the play, among them `display_funcs`, a table the camera makes when
    it first draws (`type_or_raise`) and makes again at each use. Whether it exists
    depended on what this process happened to draw before (nothing, in a dry run or for
    plays left to another process), so it is dropped before each play
    (`renderer.update_skipping_status`, called first). Returns the scene."""
    renderer = scene.renderer
    update = renderer.update_skipping_status

    def update_skipping_status():
        renderer.camera.__dict__.pop("display_funcs", None)
        update()

    renderer.update_skipping_status = update_skipping_status
    return scene


PLAY_HASH_FORMAT = b"backprop-video play hash 1"   # changes every key when the format does
_NOT_HASHED = frozenset(("original_id", "background", "pixel_array",
                         "pixel_array_to_cairo_context"))   # as Manim's KEYS_TO_FILTER_OUT
_SOURCES: dict = {}   # code object: its source, read once per process


def _named(*parts):
    """Never called: the callable of `_PlayDigest`'s reductions, only named in its stream."""
    return parts


def _source(code) -> str:
    source = _SOURCES.get(code)
    if source is None:
        try:
            source = inspect.getsource(code)
        except (OSError, TypeError):
            source = code.co_qualname
        _SOURCES[code] = source
    return source


def _cell_value(cell):
    try:
        return cell.cell_contents
    except ValueError:   # a cell not yet filled
        return None


class _PlayDigest(pickle.Pickler):
    """A play's inputs pickled into a digest, never to be unpickled: what Manim's JSON
    hash (`get_hash_from_play_call`) reads, walked by the C pickler. NumPy arrays count by
    their bytes, functions by their source, the values they close over and the globals
    they read (a method by its function's); objects by their state without what Manim
    leaves out (ids, pixels, file paths); the scene, modules and classes by name; what
    cannot be pickled by its type's name."""

    def __init__(self, scene):
        self.digest = hashlib.blake2b(PLAY_HASH_FORMAT, digest_size=20)
        super().__init__(self, protocol=5)   # this object is the file: `write` feeds the digest
        self.scene = scene

    def write(self, data) -> None:
        self.digest.update(data)

    def reducer_override(self, obj):
        kind = type(obj)
        if kind is np.ndarray and not obj.dtype.hasobject:   # most of what is hashed
            return _named, (obj.dtype.str, obj.shape, obj.tobytes())
        if obj is self.scene:
            return _named, ("scene",)
        if isinstance(obj, np.ndarray):
            return _named, (str(obj.dtype), obj.shape), np.asarray(obj).tolist()
        if kind is types.FunctionType:
            if obj is _named or obj is copyreg.__newobj__:
                return NotImplemented
            code, names = obj.__code__, obj.__globals__
            read = tuple((name, names[name]) for name in code.co_names
                         if name in names and not isinstance(names[name], types.ModuleType))
            cells = tuple(_cell_value(cell) for cell in obj.__closure__ or ())
            return _named, ("function", _source(code)), (cells, obj.__defaults__,
                                                         obj.__kwdefaults__, read)
        if isinstance(obj, pathlib.PurePath):   # where a text's SVG was cached: as Manim, kept
            return _named, ("path",)                # out (the same text in another folder)
        if kind is types.MethodType:   # as Manim (`inspect.getclosurevars`): not its object
            return _named, ("method",), obj.__func__
        if isinstance(obj, type):
            return _named, ("class", obj.__module__, obj.__qualname__)
        if kind is types.ModuleType:
            return _named, ("module", obj.__name__)
        try:
            reduced = obj.__reduce_ex__(5)
        except Exception:   # cairo contexts, locks, generators: Manim too keeps the type only
            return _named, (f"{kind.__module__}.{kind.__qualname__}",)
        if (isinstance(reduced, tuple) and len(reduced) > 2 and type(reduced[2]) is dict
                and not _NOT_HASHED.isdisjoint(reduced[2])):
            state = {k: v for k, v in reduced[2].items() if k not in _NOT_HASHED}
            reduced = (*reduced[:2], state, *reduced[3:])
        return reduced


def play_hash(scene, camera, animations, mobjects, *, backend: str,
              encoder_fingerprint: str, renderer_state=()) -> str:
    """A play's cache key from what Manim's `get_hash_from_play_call` reads (same
    arguments), a quarter of its time: Manim walks every attribute of every mobject in
    Python on each play, a fifth of a small render's time."""
    digest = _PlayDigest(scene)
    digest.dump((backend, encoder_fingerprint, camera, sorted(animations, key=str),
                 list(mobjects), renderer_state))
    return digest.digest.hexdigest()


def hash_plays_quickly() -> None:
    """Have the Cairo renderer name each play's partial movie with `play_hash`."""
    from manim.renderer import cairo_renderer

    if not getattr(cairo_renderer.get_hash_from_play_call, "quick", False):
        cairo_renderer.get_hash_from_play_call = play_hash


play_hash.quick = True


def render_share(scene, index: int, count: int):
    """Make the scene render only every `count`-th play, starting with play `index`, and
    skip the others (`renderer.update_skipping_status`, called before each play): `count`
    processes with indices 0..count-1 together write every play's partial movie into
    Manim's cache, where a normal render of the scene then finds them all. Returns the
    scene."""
    renderer = scene.renderer
    update = renderer.update_skipping_status

    def update_skipping_status():
        update()
        if renderer.num_plays % count != index:
            renderer.skip_animations = True

    renderer.update_skipping_status = update_skipping_status
    return scene


def write_frame(encoder, pixels, repeat: int = 1, clock=None) -> None:
    """Encode `pixels` `repeat` times with Manim's segment encoder (`VideoSegmentEncoder`'s
    `_stream`, `_container`, `_next_pts`), converted once by a `yuv.FrameConverter` of
    its own; with a `StageClock`, time the conversion and the encoding."""
    from .yuv import FrameConverter

    timing = clock.timing if clock is not None else (lambda stage: contextlib.nullcontext())
    encoder._validate_frame(pixels, repeat)
    if not hasattr(encoder, "converter"):
        encoder.converter = FrameConverter(encoder._stream.pix_fmt, encoder.spec.frame_rate)
    with timing("convert"):
        frame = encoder.converter(pixels)
    try:
        with timing("encode"):
            for _ in range(repeat):
                frame.pts = encoder._next_pts
                encoder._next_pts += 1
                for packet in encoder._stream.encode(frame):
                    encoder._container.mux(packet)
    except BaseException as error:
        raise encoder._operation_error("encode", error) from error


def encode_frames_fast() -> None:
    """Have Manim encode frames with `write_frame` (`VideoSegmentEncoder.write_frame`): each
    converted by the rows that changed, and a held frame (`repeat` > 1, which Manim sends
    for a `wait` on a still picture) converted once, not once per frame; libx264 then
    encodes the repeats, which cost it almost nothing."""
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    def fast(self, pixels, *, repeat=1):
        write_frame(self, pixels, repeat)

    VideoSegmentEncoder.write_frame = fast


def partial_movies(scene) -> list[str]:
    """The partial movie files of the plays the scene rendered or found in Manim's cache
    (`file_writer.partial_movie_files`; a skipped play has none)."""
    return [str(path) for path in scene.renderer.file_writer.partial_movie_files if path]


def output_files(scene):
    """(video, subtitles) paths the scene's file writer wrote (`file_writer.output_plan`);
    either may be None."""
    plan = scene.renderer.file_writer.output_plan
    return plan.primary_artifact, plan.subcaption_file


def pad_sound(scene) -> None:
    """Make the scene's sound track as long as the scene (`file_writer.add_audio_segment`
    with a silent pydub segment), so audio and video end together."""
    from pydub import AudioSegment

    writer = scene.renderer.file_writer
    if getattr(writer, "includes_sound", False):
        missing = scene.time - writer.audio_segment.duration_seconds
        if missing > 0:
            writer.add_audio_segment(AudioSegment.silent(int(round(missing * 1000))))


def add_sound(scene, path, offset: float = 0.0) -> None:
    """Add the sound file at `path` to the scene's sound track at its current time plus
    `offset` (`file_writer.add_sound` at `renderer.time`). Unlike `Scene.add_sound`, which
    drops a sound whenever the play before it was skipped (found in Manim's cache, or left
    to another process), only a scene that skips everything (a dry run) adds none."""
    renderer = scene.renderer
    if not renderer._original_skipping_status:
        renderer.file_writer.add_sound(str(path), renderer.time + offset)


def log_to_stderr() -> None:
    """Manim logs through a rich console on stdout (its handlers' `console`); send it to
    stderr, keeping stdout for the output paths."""
    from manim import error_console
    for logger in (logging.getLogger("manim"), logging.getLogger()):
        for handler in logger.handlers:
            if hasattr(handler, "console"):
                handler.console = error_console


def reporting_scene(base: type, report, attrs: dict) -> type:
    """A subclass of scene class `base`, named like it, with `attrs`, that calls
    `report(scene_time)` after every play and after every frame drawn (through the
    private `_get_animation_time_progression`)."""

    def play(self, *args, **kwargs):
        base.play(self, *args, **kwargs)
        report(self.time)

    def progression(self, animations, duration):
        inner = base._get_animation_time_progression(self, animations, duration)
        return _Ticking(inner, self, report)

    return type(base.__name__, (base,), {**attrs, "play": play,
                                         "_get_animation_time_progression": progression})


class _Ticking:
    """Manim's per-animation frame iterator, reporting the scene time as frames render."""

    def __init__(self, inner, scene, report):
        self.inner, self.scene, self.report = inner, scene, report

    def __iter__(self):
        for t in self.inner:
            yield t
            self.report(self.scene.time)

    def __getattr__(self, name):
        return getattr(self.inner, name)


class StageClock:
    """Wall seconds and CPU seconds (of the thread that runs it) spent in each stage of a
    render (see `timed_stages`)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    @contextlib.contextmanager
    def timing(self, stage: str):
        """Count the time spent inside as `stage`."""
        import time

        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - wall
            self.cpu[stage] = self.cpu.get(stage, 0.0) + time.thread_time() - cpu
            self.calls[stage] = self.calls.get(stage, 0) + 1


@contextlib.contextmanager
def timed_stages(clock: StageClock):
    """Time Manim's render stages while inside: hashing (`get_hash_from_play_call`),
    drawing (`CairoRenderer.update_frame`, `get_frame`, `_StillLayer.draw`), conversion
    and encoding (the encoder thread's `write_frame`, split into RGBA->YUV and libx264),
    waiting for the encoder (`_PartialMovieEncodeJob.put`, `close_partial_movie_stream`)
    and joining (`SceneFileWriter.combine_to_movie`). For bench/bench_stages.py."""
    import sys

    from manim.renderer import cairo_renderer
    from manim.scene import scene_file_writer

    def timed(stage, function):
        @functools.wraps(function)   # keeps its marks (`quick`)
        def run(*args, **kwargs):
            with clock.timing(stage):
                return function(*args, **kwargs)
        return run

    hash_plays_quickly()
    plain_write_frame = write_frame

    def timed_write_frame(encoder, pixels, repeat=1, _clock=None):
        plain_write_frame(encoder, pixels, repeat, clock)

    renderer = cairo_renderer.CairoRenderer
    patches = [
        (cairo_renderer, "get_hash_from_play_call",
         timed("hash", cairo_renderer.get_hash_from_play_call)),
        (renderer, "update_frame", timed("draw", renderer.update_frame)),
        (renderer, "get_frame", timed("draw", renderer.get_frame)),
        (_StillLayer, "draw", timed("draw", _StillLayer.draw)),
        (sys.modules[__name__], "write_frame", timed_write_frame),
        (scene_file_writer._PartialMovieEncodeJob, "put",
         timed("wait for encoder", scene_file_writer._PartialMovieEncodeJob.put)),
        (scene_file_writer.SceneFileWriter, "close_partial_movie_stream",
         timed("wait for encoder", scene_file_writer.SceneFileWriter.close_partial_movie_stream)),
        (scene_file_writer.SceneFileWriter, "combine_to_movie",
         timed("join", scene_file_writer.SceneFileWriter.combine_to_movie)),
    ]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    try:
        for owner, name, replacement in patches:
            setattr(owner, name, replacement)
        yield clock
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)
