"""The themes, also importable as `scenes.theme` (their home is `scenes.kit.theme`)."""

from scenes.kit.theme import DARK, LIGHT, THEMES, Theme

__all__ = ["DARK", "LIGHT", "THEMES", "Theme"]
