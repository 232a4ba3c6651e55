"""Offline spoken narration: caption sentences to cached WAV files with their durations.

    from backprop_voice import synthesize, best_voice
    speeches = synthesize(["The loss is 0.46."], best_voice(), Path("media/voice"))
    speeches[0].path, speeches[0].duration, speeches[0].text

Voices: "piper" (neural; run as its own process, model loaded once per call), "espeak"
(espeak-ng) and "none" (silence). Nothing is downloaded at run time.

A CLI can start `synthesize_in_background(...)` into a cache folder before rendering; a
scene that later calls `synthesize` with the same sentences, voice, rate and folder gets
the cached files at once (wait for the future first, or the missing ones are made twice).
"""

from .engines import VOICES, VoiceError, VoiceUnavailable
from .engines import available as available_voices
from .engines import best as best_voice
from .speech import Speech, synthesize, synthesize_in_background
from .spoken import spoken_text

__all__ = ["VOICES", "Speech", "VoiceError", "VoiceUnavailable", "available_voices",
           "best_voice", "spoken_text", "synthesize", "synthesize_in_background"]
