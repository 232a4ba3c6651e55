"""The sentences a scene says: its own, replaced beat by beat by the config's [narration]
table, checked so that a typo gets one line naming the beat or the placeholder."""

import difflib
import string

from backprop_core import ConfigError


def placeholders(template: str, where: str) -> set[str]:
    """The `{names}` a sentence template uses; ConfigError if it is not a valid template."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as err:
        raise ConfigError(f"{where}: {err} (write a literal brace as {{{{ or }}}})") from None


def check_table(table: dict[str, str], beats, numbers_of) -> None:
    """Check the config's [narration] `table` against every beat of the story (`beats`);
    `numbers_of(beat)` gives the placeholders that beat's sentence may use."""
    for beat, template in table.items():
        where = f"narration.{beat}"
        if beat not in beats:
            close = difflib.get_close_matches(beat, beats, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ConfigError(f"{where}: no beat called '{beat}' ({hint}the beats are "
                              f"listed by `backprop-video storyboard`)")
        valid = numbers_of(beat)
        unknown = sorted(placeholders(template, where) - set(valid))
        if unknown:
            raise ConfigError(f"{where}: unknown placeholder {{{unknown[0]}}} (valid: "
                              f"{', '.join('{' + name + '}' for name in sorted(valid))})")
