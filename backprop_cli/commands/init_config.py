"""`init-config`: the default config file, commented, ready to edit.

The file is `backprop_core/default_config.toml` as it is, so `init-config` needs neither
Manim nor the scenes. Its last section, the story's sentences as a commented
[narration] table, is generated from the scenes' narration (`narration_table`);
`python -m backprop_cli.commands.init_config` writes it again after a sentence changed
(a test says when it is out of date).
"""

import json
import sys
from pathlib import Path

import click

from ..errors import Failure
from ..output import prepare_dir, publish_text


@click.command("init-config")
@click.argument("path", default="backprop-video.toml", required=False, metavar="[PATH]")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an error.")
def init_config(path, force, debug):
    """Write the default config, commented, ready to edit (default: ./backprop-video.toml).

    \b
    Examples:
      backprop-video init-config
      backprop-video init-config nets/xor.toml
      backprop-video render forward --config nets/xor.toml
    """
    from backprop_core import default_config_text

    target = Path(path)
    if target.is_dir():
        target = target / "backprop-video.toml"
    if target.exists() and not force:
        raise Failure(f"{target} already exists (use --force to replace it)")
    prepare_dir(target.parent, "the config's directory")
    publish_text(default_config_text(), target)
    click.echo(str(target))
    click.echo(f"Edit it, then: backprop-video render --config {target}", err=True)


NARRATION_MARK = "# -- [narration]"


def narration_table() -> str:
    """The story's sentences as a commented [narration] table, every beat in story order
    (the full explainer's first, then any other scene's)."""
    from scenes import SCENES

    sentences: dict[str, str] = {}
    for scene in [SCENES["BackpropExplainer"], *SCENES.values()]:
        for beat in scene.beats:
            if beat in scene.narration:
                sentences.setdefault(beat, scene.narration[beat])
    lines = [
        f"{NARRATION_MARK} ----------------------------------------------------------------",
        "# What is said (and subtitled) in each beat, by beat name: `backprop-video storyboard`",
        "# lists the beats with their sentences. {names} in braces are filled with the story's",
        "# numbers, formatted as on screen; an unknown beat or {name} is an error that lists",
        "# the valid ones. To change a sentence, uncomment [narration] and its line.",
        "# [narration]",
    ]
    lines += [f"# {beat} = {json.dumps(text, ensure_ascii=False)}"
              for beat, text in sentences.items()]
    return "\n".join(lines) + "\n"


def write_narration_table(path: Path) -> bool:
    """Replace the generated [narration] section at the end of the config file `path`;
    True if it changed."""
    text = path.read_text(encoding="utf-8")
    head = text.split(NARRATION_MARK)[0].rstrip("\n") + "\n\n"
    new = head + narration_table()
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


if __name__ == "__main__":   # regenerate the default config's [narration] section
    import backprop_core

    target = Path(backprop_core.__file__).with_name("default_config.toml")
    changed = write_narration_table(target)
    print(f"{target}: {'updated' if changed else 'up to date'}", file=sys.stderr)
