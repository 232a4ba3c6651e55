"""`%%manim` in Jupyter (an IPython shell here) renders the project's scenes."""

import pytest
from IPython.core.interactiveshell import InteractiveShell
from manim.utils.ipython_magic import ManimMagic


@pytest.mark.slow
def test_manim_cell_magic_renders_a_scene(tmp_path, monkeypatch):
    from manim import config

    monkeypatch.chdir(tmp_path)  # the magic keeps its media under the working directory
    monkeypatch.setattr(config, "media_dir", "./media")   # (as it is outside the tests)
    shell = InteractiveShell.instance()
    try:
        shell.register_magics(ManimMagic)
        result = shell.run_cell("%%manim -ql -r 256,144 --fps 5 -v WARNING --progress_bar none "
                                "OuchMoment\nfrom scenes import OuchMoment\n")
        result.raise_error()
    finally:
        InteractiveShell.clear_instance()
    (video,) = [v for v in tmp_path.rglob("OuchMoment.mp4") if "jupyter" not in v.parts]
    assert video.stat().st_size > 10_000
    assert list(tmp_path.rglob("jupyter/*.mp4")), "a copy for the notebook to display"
