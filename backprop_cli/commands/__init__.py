"""The commands, one module each; `options` declares what several of them take, and
`request` turns parsed options into a render request and runs it."""

from .init_config import init_config
from .list_scenes import list_scenes
from .render import render
from .slides import slides
from .stills import stills
from .storyboard import storyboard
from .trace import trace

COMMANDS = (render, stills, slides, storyboard, list_scenes, trace, init_config)
