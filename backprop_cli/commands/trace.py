"""`trace`: the forward and backward pass of the configured network, as the engine computes it."""

import click

from ..errors import Failure
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
    import warnings

    import numpy as np

    from backprop_core import ConfigError
    from backprop_core.report import trace_json, trace_table

    config = validate_config(*config_choice(options))
    try:   # numbers that overflow are refused (never NaN in the JSON), without warnings
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            text = trace_json(config) if as_json else trace_table(config)
    except ConfigError as err:
        raise Failure(str(err)) from None
    click.echo(text)
