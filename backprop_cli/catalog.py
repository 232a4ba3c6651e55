"""Which scenes exist: the project's `scenes.SCENES`, or the Scene classes of a user's file.

A scene is named by its class name (case-insensitive), one of its aliases, a unique
prefix of its name, or `all`.
"""

import difflib
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Short names for the story's scenes (the one list of them). An alias only applies when
# its scene exists; a scene's own name, in any case, needs none.
STORY_ALIASES = {
    "anatomy": "NetworkAnatomy",
    "network": "NetworkAnatomy",
    "forward": "ForwardPass",
    "loss": "OuchMoment",
    "ouch": "OuchMoment",
    "error": "OuchMoment",
    "backward": "Backpropagation",
    "gradients": "Backpropagation",
    "descent": "GradientDescent",
    "gradient": "WhatIsAGradient",
    "slope": "WhatIsAGradient",
    "update": "TheUpdate",
    "step": "TheUpdate",
    "train": "Training",
    "explainer": "BackpropExplainer",
    "full": "BackpropExplainer",
}
MIN_PREFIX = 3
NO_DESCRIPTION = "(no description: the class has no docstring)"


class SceneLookupError(ValueError):
    """A scene name that matches no scene, or several."""


@dataclass
class Catalog:
    """Scenes in story order: {class name: class}, plus where they came from."""

    scenes: dict
    module_file: str | None = None
    aliases: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(self.scenes)

    @property
    def default(self) -> str:
        """What `render` with no scene renders: the last scene (the full explainer)."""
        return self.names[-1]

    def description(self, name: str) -> str:
        doc = self.scenes[name].__dict__.get("__doc__") or ""
        lines = [line.strip() for line in doc.strip().splitlines()]
        return lines[0] if lines else NO_DESCRIPTION

    def aliases_of(self, name: str) -> list[str]:
        return [alias for alias, target in self.aliases.items() if target == name]

    def resolve(self, wanted: list[str]) -> list[str]:
        """Scene class names for the names the user typed, in the order given, no repeats."""
        chosen: list[str] = []
        for word in wanted:
            for name in (self.names if word.lower() == "all" else [self.find(word)]):
                if name not in chosen:
                    chosen.append(name)
        return chosen

    def find(self, word: str) -> str:
        key = word.lower()
        by_lower = {name.lower(): name for name in self.names}
        if key in by_lower:
            return by_lower[key]
        if key in self.aliases:
            return self.aliases[key]
        starts = [name for name in self.names if name.lower().startswith(key)]
        if len(key) >= MIN_PREFIX and len(starts) == 1:
            return starts[0]
        if len(key) >= MIN_PREFIX and len(starts) > 1:
            raise SceneLookupError(f"scene {word!r} is ambiguous: it could be "
                                   f"{', '.join(starts)}")
        choices = list(by_lower) + list(self.aliases)
        close = difflib.get_close_matches(key, choices, n=1)
        hint = ""
        if close:
            hint = f"did you mean {by_lower.get(close[0]) or close[0]!r}? "
        raise SceneLookupError(f"unknown scene {word!r} ({hint}valid scenes: "
                               f"{', '.join(self.names)}, or all)")


def load_catalog(module_file: str | None = None) -> Catalog:
    """The project's scenes, or those defined in `module_file` (a Python file)."""
    if module_file is None:
        from scenes import SCENES
        scenes = dict(SCENES)
    else:
        scenes = _scenes_in_file(Path(module_file))
    names = [name.lower() for name in scenes]
    aliases = {alias: target for alias, target in STORY_ALIASES.items()
               if target in scenes and alias not in names}
    return Catalog(scenes, None if module_file is None else str(Path(module_file).resolve()),
                   aliases)


_LOADED: dict = {}   # (path, mtime) -> scenes, so a file is executed once per process


def _scenes_in_file(path: Path) -> dict:
    if not path.is_file():
        raise SceneLookupError(f"scene file not found: {path}")
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    if key not in _LOADED:
        _LOADED[key] = _load_file(path)
    return _LOADED[key]


def _load_file(path: Path) -> dict:
    from manim import Scene

    name = "backprop_video_user_" + "".join(c if c.isalnum() else "_" for c in path.stem)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SceneLookupError(f"not a Python file: {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    if str(path.resolve().parent) not in sys.path:   # its own helper modules
        sys.path.insert(0, str(path.resolve().parent))
    try:
        spec.loader.exec_module(module)
    except SystemExit as err:   # sys.exit() at import: a failure like any other
        sys.modules.pop(name, None)
        code = "" if err.code is None else f" {err.code}"
        raise SceneLookupError(f"{path} exited while being imported (sys.exit({code.strip()}))"
                               ) from None
    found = {
        attr: value for attr, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, Scene)
        and value.__module__ == name and not attr.startswith("_")
    }
    if not found:
        raise SceneLookupError(f"no Scene classes defined in {path}")
    return found
