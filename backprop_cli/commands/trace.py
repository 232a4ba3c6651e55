"""`trace`: the forward and backward pass of the configured network, as the engine computes it."""

import click

from .options import config_options, debug_options
from .request import config_choice, validate_config


@click.command()
@config_options
@click.option("--json", "as_json", is_flag=True,
              help="Print exactly one JSON object with full float precision.")
@debug_options
def trace(as_json, verbose, debug, **options):
    """Print the forward and backward pass of the configured network.

    \b
    Examples:
      backprop-video trace
      backprop-video trace --config my-net.toml --json
      backprop-video trace --layers 2,3,1 --activation tanh --input 0.9,0.2 --target 1
    """
    from backprop_core.report import trace_json, trace_table

    config = validate_config(*config_choice(options))
    click.echo(trace_json(config) if as_json else trace_table(config))
