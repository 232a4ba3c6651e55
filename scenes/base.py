"""The base scene, also importable as `scenes.base` (its home is `scenes.kit.base`)."""

from scenes.kit.base import ExplainerScene, Part

__all__ = ["ExplainerScene", "Part"]
