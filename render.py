"""backprop-video: the command line that renders the explainer and prints traces."""

import click

from backprop_core import ConfigError, load_config
from backprop_core.report import trace_json, trace_table


def _load(config_path):
    try:
        return load_config(config_path)
    except ConfigError as err:
        raise click.ClickException(str(err)) from None


@click.group()
def cli():
    """Turn a real neural network computation into an explainer video of backpropagation."""


@cli.command()
@click.option("--config", "config_path", metavar="FILE",
              help="TOML config of the network and data (default: the cat story).")
@click.option("--json", "as_json", is_flag=True,
              help="Print exactly one JSON object with full float precision.")
def trace(config_path, as_json):
    """Print the forward and backward pass of the configured network.

    \b
    Examples:
      backprop-video trace
      backprop-video trace --config my-net.toml --json
    """
    config = _load(config_path)
    click.echo(trace_json(config) if as_json else trace_table(config))


if __name__ == "__main__":
    cli()
