"""The `backprop-video` command group (the console script's entry point)."""

import click

from .app import DefaultCommandGroup
from .commands import COMMANDS


@click.group(cls=DefaultCommandGroup, commands=COMMANDS, epilog="""\b
Examples:
  backprop-video                          render the full explainer into media/
  backprop-video list                     the scenes, what they show, how long they are
  backprop-video render forward -q low    one scene, quickly
  backprop-video render all --jobs 2      every scene, two at a time
  backprop-video stills backward          one picture per beat of a scene
  backprop-video slides loss -q low       a slide deck (HTML), one slide per beat
  backprop-video trace --layers 2,3,1     the numbers behind a variation
  backprop-video init-config my-net.toml  a config file to edit

With no command, `render` runs: `backprop-video forward -q low` works too.
Run `backprop-video COMMAND --help` for a command's options.""")
@click.version_option(package_name="backprop-video", message="%(prog)s %(version)s")
def cli():
    """Turn a real neural network computation into an explainer video of backpropagation."""
