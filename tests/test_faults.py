"""Nothing lost, whatever happens (issue 13): kill -9 and hang-ups, a deleted cache,
publishing as one unit, signals at any moment, config paths that are not files, closed
and odd streams, `--module` files that exit, odd numbers and names, files from outside,
machine output, and the rough edges a new user met.

Signals go to real processes (in their own session, to the whole group); the FIFO is a
real one. Renders are the tiny ones of tests/cli_scenes.py or of a module written here.
"""

import contextlib
import fcntl
import json
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, SMALL, TEST_CACHE_HOME, TINY, error_of, invoke, probe_video

SCENES = '''
import os, sys, time
from pathlib import Path
from manim import Create, Rotate, Scene, Square

def started():
    marker = os.environ.get("FAULT_STARTED")
    if marker:
        Path(marker).touch()

class Long(Scene):
    """One long animation: a partial movie in flight for a long while."""
    def construct(self):
        square = Square()
        self.add(square)
        started()
        if os.environ.get("FAULT_STARTED"):   # slow frames while a test watches
            square.add_updater(lambda mob, dt: time.sleep(0.03))
        self.play(Rotate(square, 3), run_time=60)

class Steps(Scene):
    """Forty short animations, slowed down while a test watches."""
    def construct(self):
        square = Square()
        self.add(square)
        for step in range(40):
            self.play(Rotate(square, 0.05 + step / 1000), run_time=0.2)
            if step == 2:
                started()
            if os.environ.get("FAULT_STARTED"):
                time.sleep(0.05)

class Quits(Scene):
    def construct(self):
        self.play(Create(Square()), run_time=0.2)
        sys.exit(5)

class NoDoc(Scene):
    def construct(self):
        self.wait(0.2)
'''


def command(*args):
    return [sys.executable, str(ROOT / "render.py"), *map(str, args)]


def run(*args, env=None, timeout=300, **kwargs):
    return subprocess.run(command(*args), check=False, cwd=kwargs.pop("cwd", ROOT),
                          capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=timeout, **kwargs)


def clean(stderr: str) -> None:
    for bad in ("Traceback", "Exception ignored", "OSError", "race condition"):
        assert bad not in stderr, stderr


@pytest.fixture
def scenes(tmp_path):
    path = tmp_path / "fault_scenes.py"
    path.write_text(SCENES)
    return path


def start(args, marker, **env):
    return subprocess.Popen(command(*args), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "FAULT_STARTED": str(marker), **env})


def wait_for(marker: Path, proc, seconds=90):
    deadline = time.monotonic() + seconds
    while not marker.exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)


# -- 1. the cache --------------------------------------------------------------------------

def test_a_killed_renders_working_files_are_dropped_by_the_next(tmp_path):
    """kill -9 leaves the marker; the next holder deletes what was written since it."""
    from backprop_cli import cache

    folder = cache.scene_dir(tmp_path, "Scene")
    partial = folder / "partial" / "192x108@5"
    partial.mkdir(parents=True)
    older = partial / "older.mp4"
    older.write_bytes(b"a whole movie from an earlier render")
    os.utime(older, (time.time() - 100, time.time() - 100))
    (folder / cache.MARKER).write_text("12345")   # the killed holder's
    os.utime(folder / cache.MARKER, (time.time() - 50, time.time() - 50))
    cut = partial / "cut-short.mp4"
    cut.write_bytes(b"\0" * 48)
    with cache.scene_lock(tmp_path, "Scene"):
        assert (folder / cache.MARKER).exists()
        assert not cut.exists() and older.exists()
    assert not (folder / cache.MARKER).exists()


def test_a_failed_render_keeps_whole_partial_movies_only(tmp_path):
    from backprop_cli import cache

    folder = cache.scene_dir(tmp_path, "Scene")
    with pytest.raises(RuntimeError), cache.scene_lock(tmp_path, "Scene"):
        (folder / "partial").mkdir()
        (folder / "partial" / "cut.mp4").write_bytes(b"\0" * 48)
        raise RuntimeError("boom")
    assert not (folder / "partial" / "cut.mp4").exists()


@pytest.mark.slow
@pytest.mark.parametrize("how", ["kill", "hangup"])
def test_kill_or_hangup_mid_render_does_not_poison_the_cache(tmp_path, scenes, how):
    out, cache_dir, marker = tmp_path / "out", tmp_path / "cache", tmp_path / "started"
    args = ["render", "--module", scenes, "Long", *SMALL, "-o", out, "--cache-dir", cache_dir]
    proc = start(args, marker)
    wait_for(marker, proc)
    time.sleep(2.0)                      # the 60 s animation's partial movie is in flight
    os.killpg(proc.pid, signal.SIGKILL if how == "kill" else signal.SIGHUP)
    stdout, stderr = proc.communicate(timeout=60)
    if how == "hangup":                  # handled like SIGTERM: one line, exit 130
        assert proc.returncode == 130, stderr
        assert "Error: interrupted" in stderr
        clean(stderr)
    if how == "kill":   # a movie cut short is left behind, for the next render to drop
        assert list((cache_dir / "scenes" / "Long").rglob("*.mp4"))
    again = run(*args)
    assert again.returncode == 0, again.stderr
    assert probe_video(out / "Long.mp4").frames == 300


@pytest.mark.slow
def test_deleting_the_cache_mid_render_does_not_fail_it(tmp_path, scenes):
    import shutil

    out, cache_dir, marker = tmp_path / "out", tmp_path / "cache", tmp_path / "started"
    proc = start(["render", "--module", scenes, "Steps", *SMALL, "-o", out,
                  "--cache-dir", cache_dir], marker)
    wait_for(marker, proc)
    time.sleep(0.3)
    deleted = False
    for _ in range(20):   # the render may write a file between rmtree's deletions
        try:
            shutil.rmtree(cache_dir)
            deleted = True
            break
        except OSError:
            continue
    assert deleted
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert probe_video(out / "Steps.mp4").frames == 40
    clean(stderr)


def test_a_damaged_cached_result_is_ignored_and_rebuilt(tmp_path):
    from backprop_cli.cache import Durations, ResultCache

    results = ResultCache(tmp_path)
    video = tmp_path / "v.mp4"
    video.write_bytes(b"x" * 100)
    stored = results.store("Scene", "key", [video], {"duration": 1.0})
    assert results.lookup("Scene", "key")[0] == stored
    stored[0].write_bytes(b"x" * 10)          # cut short
    assert results.lookup("Scene", "key") is None
    assert not stored[0].parent.exists(), "the damaged entry is removed"
    again = tmp_path / "w.mp4"
    again.write_bytes(b"y" * 100)
    results.store("Scene", "key", [again], {"duration": 1.0})
    assert results.lookup("Scene", "key") is not None
    (stored[0].parent / "meta.json").write_text('{"files": ["../../x"], "sizes": [1]}')
    assert results.lookup("Scene", "key") is None

    durations = Durations(tmp_path)
    durations.path.write_text('{"a": ["x", 1], "b": [1e999, 1], "c": [2.5, 3]}')
    assert (durations.get("a"), durations.get("b"), durations.get("c")) == (None, None, 2.5)
    durations.put("d", 4.0)
    assert durations.get("d") == 4.0 and durations.get("c") == 2.5
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- 2. publishing as one unit -------------------------------------------------------------

@contextlib.contextmanager
def ctrl_c_after_each_rename(monkeypatch):
    """The command's signal handlers, and a Ctrl-C after every os.replace in the block,
    which must end with KeyboardInterrupt (raised once the renames are done)."""
    from backprop_cli import errors

    real_replace = os.replace

    def replace_then_ctrl_c(a, b):
        real_replace(a, b)
        os.kill(os.getpid(), signal.SIGINT)
    monkeypatch.setattr(os, "replace", replace_then_ctrl_c)
    previous = errors.install_handlers()
    try:
        with pytest.raises(KeyboardInterrupt):
            yield
    finally:
        monkeypatch.setattr(os, "replace", real_replace)
        errors._stopping[0] = False
        errors.restore_handlers(previous)


def test_ctrl_c_during_publishing_publishes_all_or_nothing(tmp_path, monkeypatch):
    """A Ctrl-C arriving between the video's rename and the subtitles' waits for both,
    and the scene is recorded as published in the same step."""
    from backprop_cli import output

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    for name in ("S.mp4", "S.srt"):
        (src / name).write_text("new " + name)
        (out / name).write_text("old " + name)
    recorded = []
    with ctrl_c_after_each_rename(monkeypatch):
        output.publish([src / "S.mp4", src / "S.srt"], ["S.mp4", "S.srt"], out,
                       on_published=recorded.append)
    assert (out / "S.mp4").read_text() == "new S.mp4"
    assert (out / "S.srt").read_text() == "new S.srt"
    assert recorded == [[out / "S.mp4", out / "S.srt"]]
    assert sorted(p.name for p in out.iterdir()) == ["S.mp4", "S.srt"]


def test_two_runs_publishing_one_scene_take_turns(tmp_path):
    """The renames of one scene's files hold the output folder's lock: another run's
    renames wait, so a video never lands beside the other run's subtitles."""
    from backprop_cli import output

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    for name in ("S.mp4", "S.srt"):
        (src / name).write_text("B")
    holder = os.open(out, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)          # run A is publishing
    worker = threading.Thread(target=output.publish, args=(
        [src / "S.mp4", src / "S.srt"], ["S.mp4", "S.srt"], out))
    worker.start()
    time.sleep(0.5)
    assert not (out / "S.mp4").exists(), "run B waited for run A's renames"
    (out / "S.mp4").write_text("A")
    (out / "S.srt").write_text("A")
    os.close(holder)
    worker.join(10)
    assert [(out / n).read_text() for n in ("S.mp4", "S.srt")] == ["B", "B"]


def test_a_deck_and_its_folder_swap_as_one_unit(tmp_path, monkeypatch):
    from backprop_cli import deck, output

    out = tmp_path / "out"
    (out / "S_slides").mkdir(parents=True)
    (out / "S_slides" / "old").write_text("old")
    (out / "S.html").write_text("old page")
    new, page = tmp_path / "new", out / ".S.html.1.00000000.tmp"
    new.mkdir()
    (new / "new").write_text("new")
    page.write_text("new page")
    with ctrl_c_after_each_rename(monkeypatch):
        deck._swap_in(new, out / "S_slides", page, out / "S.html")
    assert (out / "S.html").read_text() == "new page"
    assert sorted(p.name for p in (out / "S_slides").iterdir()) == ["new"]
    output.sweep_stale_temps(out)   # the earlier folder, under its temporary name
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [
        p.name for p in out.iterdir() if p.name.startswith(".") and p.is_dir()]


# -- 3. signals ------------------------------------------------------------------------------

@pytest.mark.slow
def test_sigterm_to_the_process_group_with_jobs_is_one_line(tmp_path):
    out, cache_dir, marker = tmp_path / "out", tmp_path / "cache", tmp_path / "started"
    proc = subprocess.Popen(
        command("render", "--module", TINY, "Slow", "Other", *SMALL, "-o", out,
                "--cache-dir", cache_dir, "--jobs", "2"),
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, env={**os.environ, "CLI_TEST_STARTED": str(marker)})
    wait_for(marker, proc)
    os.killpg(proc.pid, signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    clean(stderr)
    assert [line for line in stderr.splitlines() if line.startswith("Error:")] == [
        "Error: interrupted (not written: Slow)"] or "not written: Slow, Other" in stderr


@pytest.mark.slow
@pytest.mark.parametrize("after", [0.3, 0.6, 1.2])   # from Python's start-up on
def test_sigterm_at_any_moment_says_interrupted(tmp_path, after):
    proc = subprocess.Popen(command("render", "--module", TINY, "Slow", *SMALL, "-o",
                                    tmp_path / "out", "--cache-dir", tmp_path / "c"),
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    time.sleep(after)
    os.killpg(proc.pid, signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, (after, stderr)
    assert [line for line in stderr.splitlines() if line.startswith("Error: interrupted")]
    clean(stderr)


@pytest.mark.slow
def test_repeated_ctrl_c_is_answered_once(tmp_path):
    marker = tmp_path / "started"
    proc = subprocess.Popen(
        command("render", "--module", TINY, "Slow", "Other", *SMALL, "-o", tmp_path / "out",
                "--cache-dir", tmp_path / "c", "--jobs", "2"),
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, env={**os.environ, "CLI_TEST_STARTED": str(marker)})
    wait_for(marker, proc)
    for _ in range(8):
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.03)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    clean(stderr)


# -- 4. config files that are not files -----------------------------------------------------

def load_in_thread(path):
    from backprop_core import ConfigError, load_config

    found = {}

    def target():
        try:
            load_config(path)
        except ConfigError as err:
            found["error"] = str(err)
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), f"load_config({path}) blocked"
    return found.get("error")


def test_config_fifo_and_devices_are_refused_before_reading(tmp_path):
    fifo = tmp_path / "net.toml"
    os.mkfifo(fifo)
    assert load_in_thread(fifo) == (f"config file {fifo} is not a regular file (a pipe, "
                                    f"device or socket cannot be a config)")
    assert "/dev/zero is not a regular file" in load_in_thread("/dev/zero")


def test_config_size_bom_nesting_and_the_name_in_every_error(tmp_path):
    from backprop_core import load_config

    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * 1_100_000 + "\n")
    assert str(big) in load_in_thread(big) and "too large" in load_in_thread(big)
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf[network]\nlayers = [2, 3, 1]\n")
    assert load_config(bom).network.layers == [2, 3, 1]
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert load_in_thread(deep) == f"{deep}: invalid TOML: nested too deeply"
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"# caf\xe9\n")
    assert str(latin) in load_in_thread(latin)
    result = invoke("trace", "--config", deep)
    assert result.exit_code == 1 and str(deep) in error_of(result)


# -- 5. streams and terminals ---------------------------------------------------------------

@pytest.mark.slow
def test_closed_stderr_still_renders(tmp_path):
    out = tmp_path / "out"
    line = " ".join(f"'{a}'" for a in command("render", "--module", TINY, "Tiny", *SMALL,
                                                "-o", out, "--cache-dir", tmp_path / "c"))
    proc = subprocess.run(["sh", "-c", f"{line} 2>&-"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0 and proc.stdout == f"{out / 'Tiny.mp4'}\n"
    assert probe_video(out / "Tiny.mp4").frames == 5


def test_a_reader_that_goes_away_is_no_error(tmp_path):
    proc = subprocess.Popen(command("trace", "--input", "0.9,0.2,0.1;0.1,0.5,0.9",
                                    "--target", "1;0"),
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()                      # `| head -0`
    stderr = proc.stderr.read().decode()
    assert proc.wait(60) == 0, stderr
    assert stderr == ""
    piped = subprocess.run(["sh", "-c", " ".join(command("list", "--no-measure",
                                                         "--cache-dir", str(tmp_path)))
                            + " | head -0; exit ${PIPESTATUS:-0}"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" not in piped.stderr and piped.stderr == ""


@pytest.mark.slow
def test_dumb_terminal_gets_no_escape_codes(tmp_path):
    leader, follower = pty.openpty()
    proc = subprocess.Popen(command("render", "--module", TINY, "Tiny", *SMALL,
                                    "-o", tmp_path / "out", "--cache-dir", tmp_path / "c"),
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=follower,
                            env={**os.environ, "TERM": "dumb"})
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(120)
    os.close(leader)
    assert proc.returncode == 0, seen
    assert b"\x1b" not in seen and b"\r" not in seen.replace(b"\r\n", b"\n"), seen
    assert b"Tiny: done" in seen


def test_paths_print_as_they_are_in_the_c_locale(tmp_path):
    target = tmp_path / "réseau" / "net.toml"
    proc = subprocess.run(command("init-config", target), cwd=ROOT, capture_output=True,
                          timeout=60, check=False,
                          env={**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == os.fsencode(str(target)) + b"\n"
    assert os.fsencode(str(target)) in proc.stderr


# -- 6. --module scenes that exit --------------------------------------------------------------

@pytest.mark.slow
def test_a_scene_calling_sys_exit_is_a_failure_like_any(tmp_path, scenes):
    out = tmp_path / "out"
    result = invoke("render", "--module", scenes, "Quits", "NoDoc", *SMALL, "-o", out,
                    "--cache-dir", tmp_path / "c")
    assert result.exit_code == 1
    assert error_of(result).startswith("Error: Quits failed: SystemExit: 5")
    assert result.stdout == f"{out / 'NoDoc.mp4'}\n"


def test_sys_exit_at_import_is_one_error_line(tmp_path):
    module = tmp_path / "exits.py"
    module.write_text("import sys\nsys.exit(3)\n")
    result = invoke("render", "--module", module, "x", "-o", tmp_path / "out")
    assert result.exit_code != 0 and "exited while being imported" in error_of(result)
    assert not (tmp_path / "out").exists()


# -- 7. labels ----------------------------------------------------------------------------------

@pytest.mark.parametrize("label, message", [
    ("cat\0", "expected a printable name"),
    ("two\nlines", "expected a printable name"),
    ("x" * 10_000, "at most 40 characters"),
    ("  ", "expected a printable name"),
])
def test_labels_are_printable_and_fit(label, message):
    from backprop_core import ConfigError, load_config

    with pytest.raises(ConfigError, match=message):
        load_config(overrides={"labels": {"inputs": [label, "b", "c"]}})
    with pytest.raises(ConfigError, match=message):
        load_config(overrides={"labels": {"samples": [label, "dog"]}})


# -- 8. numbers in options, folders ---------------------------------------------------------------

def test_fps_below_one_is_refused_when_parsing(tmp_path):
    out = tmp_path / "new"
    result = invoke("render", "--module", TINY, "Tiny", "--fps", "0.01", "-o", out)
    assert result.exit_code == 2 and "from 1 to 240" in error_of(result)
    assert not out.exists()


@pytest.mark.slow
def test_a_failed_render_leaves_no_empty_folder_it_made(tmp_path):
    out = tmp_path / "new" / "deeper"
    result = invoke("render", "--module", TINY, "Broken", *SMALL, "-o", out,
                    "--cache-dir", tmp_path / "c")
    assert result.exit_code == 1
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("option", ["-o", "--cache-dir"])
def test_empty_folder_names_are_usage_errors(option):
    result = invoke("render", "--module", TINY, "Tiny", option, "")
    assert result.exit_code == 2 and "empty name" in error_of(result)


# -- 9. files from outside ------------------------------------------------------------------------

def test_only_regular_files_are_copied_from_a_reveal_folder(tmp_path):
    from backprop_cli import deck

    reveal, secret = tmp_path / "reveal", tmp_path / "secret"
    secret.write_text("not for the deck")
    for name in deck.asset_files("black"):
        (reveal / name).parent.mkdir(parents=True, exist_ok=True)
        (reveal / name).write_text(f"/* {name} */")
    (reveal / "LICENSE").symlink_to(secret)
    fonts = reveal / deck.FONTS
    fonts.mkdir(parents=True)
    (fonts / "f.woff").symlink_to(secret)
    video, srt, out = tmp_path / "v.mp4", tmp_path / "v.srt", tmp_path / "out"
    video.write_bytes(b"video")
    srt.write_text("1\n00:00:00,000 --> 00:00:01,000\nOne.\n")
    out.mkdir()
    deck.build_deck("S", video, srt, ["one"], out, reveal, "dark", (192, 108))
    copied = [p for p in (out / "S_slides").rglob("*") if p.is_file()]
    assert all("not for the deck" not in p.read_text(errors="replace") for p in copied)
    assert not (out / "S_slides" / "reveal" / "LICENSE").exists()
    assert (out / "S_slides" / "reveal" / "dist" / "reveal.js").is_file()
    (reveal / "dist" / "reveal.css").unlink()
    (reveal / "dist" / "reveal.css").symlink_to(secret)
    assert not deck._complete(reveal, "black"), "a linked asset: the CDN instead"


def test_a_scene_name_cannot_escape_the_cache(tmp_path):
    from backprop_cli.cache import ResultCache, scene_dir

    cache_dir = tmp_path / "cache"
    for name in ("../../x", "..", "/etc", "a/b"):
        folder = scene_dir(cache_dir, name).resolve()
        assert folder.is_relative_to((cache_dir / "scenes").resolve()) and folder.name
        assert folder.parent == (cache_dir / "scenes").resolve()
        assert (ResultCache(cache_dir).root / "x").parent == cache_dir / "results"
    assert scene_dir(cache_dir, "..") != scene_dir(cache_dir, "_")


# -- 10. machine output -----------------------------------------------------------------------------

def test_trace_json_never_prints_nan_nor_warnings():
    proc = subprocess.run(command("trace", "--json", "--lr", "1e308", "--activation", "linear"),
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith("Error: the numbers overflow") and proc.stderr.count("\n") == 1
    fine = invoke("trace", "--json", "--lr", "1e10")
    assert fine.exit_code == 0 and "NaN" not in fine.stdout
    json.loads(fine.stdout, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))


def test_a_failed_reveal_fetch_is_said_and_remembered(tmp_path, capsys):
    from backprop_cli import deck

    calls = []

    def offline(into):
        calls.append(into)
        raise OSError("no network")
    assert deck.reveal_source(tmp_path, "black", tmp_path / "s", fetch=offline) is None
    assert "Fetching reveal.js" in capsys.readouterr().err
    assert deck.reveal_source(tmp_path, "black", tmp_path / "s", fetch=offline) is None
    assert len(calls) == 1, "the second run does not wait again"
    assert capsys.readouterr().err == ""
    deck.reveal_source(tmp_path, "black", tmp_path / "s", keep=False, fetch=offline)
    assert len(calls) == 2, "--no-cache tries again"


# -- tried as a new user ------------------------------------------------------------------------------

def test_one_activation_per_layer_from_the_command_line():
    result = invoke("trace", "--layers", "3,4,2", "--activation", "tanh,softmax", "--loss",
                    "cross_entropy", "--target", "1,0")
    assert result.exit_code == 0, result.output
    assert "activations tanh, softmax" in result.stdout
    refused = invoke("trace", "--layers", "3,4,2", "--activation", "softmax")
    assert refused.exit_code == 2 and "--activation tanh,softmax" in error_of(refused)


def test_the_config_in_the_current_folder_is_picked_up(tmp_path, monkeypatch):
    monkeypatch.delenv("BACKPROP_VIDEO_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert invoke("init-config").exit_code == 0
    text = (tmp_path / "backprop-video.toml").read_text()
    (tmp_path / "backprop-video.toml").write_text(text + "\n[training]\nlearning_rate = 0.125\n"
                                                  if "[training]" not in text else
                                                  text.replace("learning_rate = 0.5",
                                                               "learning_rate = 0.125"))
    result = invoke("trace", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["learning_rate"] == 0.125
    assert "Using the config ./backprop-video.toml" in result.stderr


def test_trace_table_is_aligned_without_negative_zero():
    from backprop_core import load_config
    from backprop_core.report import trace_table

    config = load_config(overrides={"data": {"input": [[0.9, 0.2, 0.1], [0.1, 0.5, 0.9],
                                                       [0.3, 0.3, 0.3]],
                                             "target": [[1.0], [0.0], [1.0]]},
                                    "labels": {"samples": ["a long sample name", "b", "c"]}})
    table = trace_table(config)
    assert "-0.0000" not in table
    blocks = [line for line in table.split("one row per sample:", 1)[1].splitlines()
              if "[" in line]
    matrices = [line for line in blocks if "[[" in line or line.lstrip().startswith("[")]
    assert len({line.index(".") for line in matrices}) == 1, table   # one number column
    assert len({line.index("[") for line in blocks if "[[" not in line
                and not line.lstrip().startswith("[")}) == 1, table
    samples = [line for line in table.splitlines() if line.startswith(("  a long", "  b ", "  c "))]
    assert len({line.index(".") for line in samples}) == 1, table


def test_readme_says_it_once_and_only_of_this_repository():
    readme = (ROOT / "README.md").read_text()
    images = [line for line in readme.splitlines() if line.startswith("![")]
    assert len(images) == len({line.split("(")[-1] for line in images}), "an image twice"
    assert "../shared" not in readme
    assert "source .venv/bin/activate" in readme


def test_frames_past_the_end_is_a_clean_message(tmp_path):
    import av
    import numpy as np

    video = tmp_path / "v.mp4"
    with av.open(str(video), "w") as container:
        stream = container.add_stream("libx264", rate=5)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
        for _ in range(5):
            frame = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    for at in ("1", "5", "0.5,99"):
        proc = subprocess.run([sys.executable, str(ROOT / "tools" / "frames.py"), str(video),
                               str(tmp_path / "s.png"), "--at", at],
                              capture_output=True, text=True, timeout=60, check=False)
        assert proc.returncode == 1 and proc.stderr.startswith("Error: --at:"), proc.stderr
        assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_no_subtitles_beside_a_gif(tmp_path):
    out = tmp_path / "out"
    result = invoke("render", "--module", TINY, "Tiny", *SMALL, "--format", "gif", "-o", out,
                    "--cache-dir", tmp_path / "c")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["Tiny.gif"]


def test_small_wordings():
    from backprop_core import ConfigError, load_config
    from scenes.kit.base import _part_narration

    with pytest.raises(ConfigError, match=r"expected 1 number, got 2"):
        load_config(overrides={"network": {"layers": [3, 4, 1]}, "data": {"target": [1, 0]}})
    from scenes import SCENES
    parts = {part for scene in SCENES.values() for part in getattr(scene, "parts", ())}
    for part in parts:
        for sentence in _part_narration(part).values():
            assert "?." not in sentence and "!." not in sentence, sentence


def test_list_shows_a_placeholder_without_docstring(tmp_path, scenes):
    result = invoke("list", "--module", scenes, "--no-measure", "--cache-dir", tmp_path)
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("NoDoc"))
    assert row.rstrip().endswith("(no description: the class has no docstring)")


def test_init_config_offers_no_verbose():
    text = invoke("init-config", "--help").stdout
    assert " -v," not in text and "--verbose" not in text and "Manim" not in text


def test_the_tests_never_touch_the_real_cache():
    from backprop_cli.settings import default_cache_dir

    assert os.environ["XDG_CACHE_HOME"] == TEST_CACHE_HOME
    assert default_cache_dir() == Path(TEST_CACHE_HOME) / "backprop-video"
    assert not default_cache_dir().is_relative_to(Path.home() / ".cache")
