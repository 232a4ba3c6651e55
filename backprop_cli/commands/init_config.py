"""`init-config`: the default config file, commented, ready to edit."""

from pathlib import Path

import click

from ..errors import Failure
from ..output import prepare_dir, publish_text
from .options import debug_options


@click.command("init-config")
@click.argument("path", default="backprop-video.toml", required=False, metavar="[PATH]")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@debug_options
def init_config(path, force, verbose, debug):
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
