"""`--cluster`: renders on a real Dask scheduler with two workers on localhost, started and
stopped here: files come back and are published like local ones, a worker killed
mid-render means a retry on the other, speech is shipped to workers without a voice, an
unreachable or malformed address is one line.

The workers' PATH is the venv's bin folder alone, so they have no espeak-ng.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, TINY, error_of, frames_and_times, invoke, probe_video

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")
pytestmark = pytest.mark.xdist_group("cluster")   # one scheduler and its workers, started once

BIN = Path(sys.executable).parent
FORWARD = ["forward", "-q", "low", "--resolution", "320x180", "--fps", "5", "--voice", "none"]

STEPS = '''
import os
from pathlib import Path
from manim import Rotate, Scene, Square

class Steps(Scene):
    """Forty short animations; at the third, the worker's pid is noted in $CLUSTER_MARKS."""
    def construct(self):
        square = Square()
        self.add(square)
        for step in range(40):
            self.play(Rotate(square, 0.05 + step / 1000), run_time=0.2)
            if step == 2:
                (Path(os.environ["CLUSTER_MARKS"]) / str(os.getpid())).touch()
'''


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen
    workers: list[subprocess.Popen]
    marks: Path   # where the scene Steps notes the pid of a worker rendering it

    def stop(self) -> None:
        """The workers first (each says goodbye to the scheduler), then the scheduler."""
        for group in (self.workers, [self.scheduler]):
            for proc in group:
                if proc.poll() is None:
                    proc.terminate()
            for proc in group:
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def start_cluster(folder: Path, workers: int = 2) -> Cluster:
    """A scheduler and `workers` one-thread workers (no nanny: a killed one stays dead) on
    localhost, every file of theirs in `folder`; returns once all workers joined."""
    marks = folder / "marks"
    marks.mkdir(parents=True)
    env = {**os.environ, "PATH": str(BIN), "XDG_CACHE_HOME": str(folder / "xdg"),
           "CLUSTER_MARKS": str(marks)}
    address_file = folder / "scheduler.json"

    def launch(*args, log):
        return subprocess.Popen([str(BIN / "dask"), *args], cwd=folder, env=env,
                                stdout=subprocess.DEVNULL, stderr=open(folder / log, "w"),
                                start_new_session=True)
    scheduler = launch("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                       "--scheduler-file", str(address_file), log="scheduler.log")
    cluster = Cluster("", scheduler, [], marks)
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists():
            assert scheduler.poll() is None and time.monotonic() < deadline, \
                (folder / "scheduler.log").read_text()
            time.sleep(0.1)
        cluster.address = json.loads(address_file.read_text())["address"]
        cluster.workers = [
            launch("worker", cluster.address, "--nthreads", "1", "--no-nanny",
                   "--no-dashboard", "--host", "127.0.0.1",
                   "--local-directory", str(folder / f"worker{i}"), log=f"worker{i}.log")
            for i in range(workers)]
        with distributed.Client(cluster.address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=90)
    except BaseException:
        cluster.stop()
        raise
    return cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = start_cluster(tmp_path_factory.mktemp("cluster"))
    yield running
    running.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def render_cli(*args, timeout=240):
    return subprocess.run([sys.executable, str(ROOT / "render.py"), *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def render_steps(tmp_path: Path, address: str) -> subprocess.Popen:
    """`render` of the scene Steps on the cluster, under way in its own session."""
    module = tmp_path / "steps.py"
    module.write_text(STEPS)
    return subprocess.Popen(
        [sys.executable, str(ROOT / "render.py"), "--module", str(module), "Steps",
         "--resolution", "192x108", "--fps", "5", "--cluster", address,
         "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)


def first_mark(cluster: Cluster, render: subprocess.Popen) -> int:
    """The pid of the first worker that got well into rendering Steps."""
    deadline = time.monotonic() + 120
    while not any(cluster.marks.iterdir()):
        assert render.poll() is None and time.monotonic() < deadline, render.communicate()
        time.sleep(0.05)
    return int(next(cluster.marks.iterdir()).name)


# -- the address ------------------------------------------------------------------------

@pytest.mark.parametrize("address", ["127.0.0.1:8786", "tcp://127.0.0.1", "http://host:1",
                                     "tcp://host:0", "tcp://host:70000", "tcp://a b:1"])
def test_a_malformed_address_is_a_usage_error(address, dirs):
    result = invoke("render", "forward", "--cluster", address, *dirs[2])
    assert result.exit_code == 2
    assert "--cluster" in error_of(result) and "tcp://HOST:8786" in error_of(result)
    assert not dirs[0].exists() or not any(dirs[0].iterdir())


def test_the_address_may_come_from_the_environment(dirs):
    result = invoke("render", "forward", *dirs[2], env={"BACKPROP_VIDEO_CLUSTER": "nowhere"})
    assert result.exit_code == 2 and "--cluster" in error_of(result)


def test_an_address_where_nothing_listens_is_one_line_at_once(dirs):
    address = f"tcp://127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = invoke("render", "--module", TINY, "Tiny", "--resolution", "64x36", "--fps", "5",
                    "--cluster", address, *dirs[2])
    assert time.monotonic() - started < 15
    assert result.exit_code == 1
    assert error_of(result) == (f"Error: --cluster {address}: no Dask scheduler answers "
                                f"there (Connection refused)")
    assert not (dirs[0] / "Tiny.mp4").exists()


def test_without_dask_the_error_says_how_to_install_it(dirs, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)   # import fails
    result = invoke("render", "--module", TINY, "Tiny", "--resolution", "64x36",
                    "--cluster", "tcp://127.0.0.1:8786", *dirs[2])
    assert result.exit_code == 1
    assert "pip install 'backprop-video[cluster]'" in error_of(result)


def test_a_worker_speaks_with_the_client_s_voice_while_rendering(tmp_path):
    from backprop_cli.cluster import shipped_voice
    from backprop_voice import VoiceUnavailable, engines, synthesize

    own = engines.find
    with shipped_voice({"voice": "espeak", "version": "the client's espeak 9.9", "files": {}}):
        assert engines.engine("espeak").version == "the client's espeak 9.9"
        # Not shipped, and this machine's espeak (if any) is not of the client's version.
        with pytest.raises(VoiceUnavailable, match="the client sent no speech for .* no "
                                                   "espeak voice of version"):
            synthesize(["Not shipped."], "espeak", tmp_path)
    assert engines.find is own


# -- the cluster --------------------------------------------------------------------------

@pytest.mark.slow
def test_a_scene_rendered_on_the_cluster_is_the_local_one(cluster, tmp_path):
    remote, local = tmp_path / "remote", tmp_path / "local"
    result = render_cli(*FORWARD, "--cluster", cluster.address, "-o", remote,
                        "--cache-dir", tmp_path / "cache-remote")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(remote / "ForwardPass.mp4")]
    assert sorted(p.name for p in remote.iterdir()) == ["ForwardPass.mp4", "ForwardPass.srt"]
    assert invoke(*FORWARD, "-o", local, "--cache-dir", tmp_path / "cache-local").exit_code == 0
    assert probe_video(remote / "ForwardPass.mp4") == probe_video(local / "ForwardPass.mp4")
    assert (remote / "ForwardPass.srt").read_text() == (local / "ForwardPass.srt").read_text()


@pytest.mark.slow
def test_a_scene_shared_between_workers_is_the_local_one(cluster, tmp_path, monkeypatch):
    """-j 2 with --cluster: each worker renders every other animation of the one scene,
    their partial movies come back, and the scene is joined here."""
    from manim.scene import video_segment_encoder

    shared = ["--module", TINY, "Shared", "--resolution", "192x108", "--fps", "10"]
    remote, local = tmp_path / "remote", tmp_path / "local"
    encoded = []
    plain = video_segment_encoder.VideoSegmentEncoder.__init__
    monkeypatch.setattr(video_segment_encoder.VideoSegmentEncoder, "__init__",
                        lambda self, **kw: (encoded.append(kw["target"]), plain(self, **kw)))
    result = invoke(*shared, "--cluster", cluster.address, "-j", "2", "-o", remote,
                    "--cache-dir", tmp_path / "cache-remote")
    assert result.exit_code == 0, result.stderr
    assert encoded == [], "every animation was rendered on the cluster"
    monkeypatch.undo()
    partials = list((tmp_path / "cache-remote").rglob("partial/**/*.mp4"))
    assert len(partials) > 10, "the workers' partial movies are in the client's cache"
    assert invoke(*shared, "-j", "1", "-o", local,
                  "--cache-dir", tmp_path / "cache-local").exit_code == 0
    a, _, _ = frames_and_times(remote / "Shared.mp4")
    b, _, _ = frames_and_times(local / "Shared.mp4")
    assert len(a) == len(b) > 50
    assert max(abs(x - y).mean() for (_, x), (_, y) in zip(a, b)) < 1.0


@pytest.mark.slow
def test_speech_is_shipped_to_workers_without_a_voice(cluster, tmp_path):
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed here")
    assert not shutil.which("espeak-ng", path=str(BIN))   # nor on the workers' PATH
    beats = ["--module", TINY, "Beats", "--resolution", "192x108", "--fps", "5",
             "--voice", "espeak"]
    remote, local = tmp_path / "remote", tmp_path / "local"
    result = invoke(*beats, "--cluster", cluster.address, "-o", remote,
                    "--cache-dir", tmp_path / "cache-remote")
    assert result.exit_code == 0, result.stderr
    assert invoke(*beats, "-o", local, "--cache-dir", tmp_path / "cache-local").exit_code == 0
    import av
    durations = []
    for video in (remote / "Beats.mp4", local / "Beats.mp4"):
        with av.open(str(video)) as container:
            assert container.streams.audio, video
            durations.append(container.duration)
    assert durations[0] == durations[1]
    assert probe_video(remote / "Beats.mp4") == probe_video(local / "Beats.mp4")


@pytest.mark.slow
def test_stills_of_a_config_file_are_the_local_ones(cluster, tmp_path):
    config = tmp_path / "my-net.toml"
    config.write_text("[network]\nlayers = [2, 2, 1]\n")
    remote, local = tmp_path / "remote", tmp_path / "local"
    stills = ["stills", "loss", "--config", config, "--resolution", "320x180"]
    result = invoke(*stills, "--cluster", cluster.address, "-o", remote,
                    "--cache-dir", tmp_path / "cache-remote")
    assert result.exit_code == 0, result.stderr
    assert invoke(*stills, "-o", local, "--cache-dir", tmp_path / "cache-local").exit_code == 0
    pictures = sorted(p.name for p in local.iterdir())
    assert len(pictures) > 1 and sorted(p.name for p in remote.iterdir()) == pictures
    for name in pictures:
        assert (remote / name).read_bytes() == (local / name).read_bytes(), name


@pytest.mark.slow
def test_progress_and_files_come_back_as_from_a_local_worker(cluster, tmp_path):
    from backprop_cli.cluster import run_on_cluster
    from backprop_cli.settings import RenderSettings
    from backprop_cli.worker import Job

    settings = RenderSettings(192, 108, 5, cache_dir=tmp_path / "cache", module_file=TINY)
    jobs = [Job(scene, settings, tmp_path / "staging" / scene) for scene in ("Tiny", "Other")]
    started, messages = [], []
    run_on_cluster(cluster.address, jobs, lambda *m: messages.append(m), started.append)
    assert sorted(started) == ["Other", "Tiny"]
    assert {(scene, "progress") for scene, kind, _ in messages if kind == "progress"} == \
        {("Tiny", "progress"), ("Other", "progress")}
    ends = {scene: (kind, data) for scene, kind, data in messages if kind != "progress"}
    assert ends["Tiny"][0] == ends["Other"][0] == "done"
    assert [Path(f).name for f in ends["Tiny"][1]["files"]] == ["Tiny.mp4", "Tiny.srt"]
    for scene in ("Tiny", "Other"):
        files, duration = ends[scene][1]["files"], ends[scene][1]["duration"]
        assert {Path(f).parent for f in files} == {tmp_path / "staging" / scene / "done"}
        assert probe_video(files[0]).frames == round(duration * 5) > 0


@pytest.mark.slow
def test_ctrl_c_cancels_the_cluster_s_work_in_one_line(cluster, tmp_path):
    render = render_steps(tmp_path, cluster.address)
    first_mark(cluster, render)
    os.killpg(render.pid, signal.SIGINT)
    stdout, stderr = render.communicate(timeout=60)
    assert render.returncode == 130, stderr
    assert [line for line in stderr.splitlines() if line.startswith("Error:")] == [
        "Error: interrupted (not written: Steps)"]
    assert "Traceback" not in stderr and not (tmp_path / "out" / "Steps.mp4").exists()
    with distributed.Client(cluster.address, timeout=30, set_as_default=False) as client:
        deadline = time.monotonic() + 10   # the scheduler hears of it in a moment
        while client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.tasks)):
            assert time.monotonic() < deadline, "the render's task is still on the cluster"
            time.sleep(0.2)


@pytest.mark.slow
def test_a_worker_killed_mid_render_means_a_retry_on_the_other(tmp_path):
    running = start_cluster(tmp_path / "cluster")
    try:
        render = render_steps(tmp_path, running.address)
        first = first_mark(running, render)
        assert first in [w.pid for w in running.workers]
        os.kill(first, signal.SIGKILL)
        assert render.poll() is None and not (tmp_path / "out" / "Steps.mp4").exists()
        stdout, stderr = render.communicate(timeout=180)
        assert render.returncode == 0, stderr
        assert {int(p.name) for p in running.marks.iterdir()} == {w.pid for w in running.workers}
        assert probe_video(tmp_path / "out" / "Steps.mp4").frames == 40
        assert "Traceback" not in stderr
    finally:
        running.stop()
