"""Pure-NumPy backpropagation engine: the real numbers behind every video."""

from .activations import ACTIVATIONS, Activation, get_activation
from .config import Config, ConfigError, default_config_text, load_config
from .datasets import circles, moons, xor
from .landscape import DescentPath, descent_path, loss_grid, loss_slice
from .losses import LOSSES, Loss, get_loss
from .network import Network
from .trace import LayerTrace, Trace, loss_at, trace
from .training import History, sgd_step, train

__all__ = [
    "ACTIVATIONS", "Activation", "get_activation",
    "Config", "ConfigError", "default_config_text", "load_config",
    "circles", "moons", "xor",
    "DescentPath", "descent_path", "loss_grid", "loss_slice",
    "LOSSES", "Loss", "get_loss",
    "Network",
    "LayerTrace", "Trace", "loss_at", "trace",
    "History", "sgd_step", "train",
]
