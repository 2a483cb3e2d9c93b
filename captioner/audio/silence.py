"""A microphone that delivers nothing but exact digital silence: blocked, or muted.

A working microphone is never exactly silent: even in a quiet room its preamplifier and
converter leave some noise in the lowest bits. A microphone that Windows' privacy settings
block, one that macOS has not been allowed to use, and a muted source (PulseAudio,
PipeWire, ALSA) open without any error and then deliver zeros, every sample exactly 0.0,
so the app would wait for speech that cannot come. That is told, with where to allow it.

Only for microphones: what the computer plays is exact silence whenever nothing plays.

Fed on the reading side (the recogniser's thread reads the ring buffer every few hundred
milliseconds), never in the audio callback.
"""

from __future__ import annotations

import sys

import numpy as np

from captioner.i18n import translate

# Never heard anything since capture began: blocked or muted from the start. Seconds, since
# capture may begin with a short run of zeros while the device starts up.
SILENT_AFTER_S = 3.0
# Heard sound, then only zeros: muted since. Longer, because microphones with noise
# suppression (NVIDIA Broadcast, Krisp and the like are virtual microphones) send exact
# zeros between one sentence and the next.
SILENT_AFTER_SOUND_S = 15.0


class DigitalSilence:
    """Counts the exact zeros at the end of what a capture delivered so far."""

    def __init__(
        self,
        sample_rate: int,
        after_s: float = SILENT_AFTER_S,
        after_sound_s: float = SILENT_AFTER_SOUND_S,
    ) -> None:
        self._after = int(after_s * sample_rate)
        self._after_sound = int(after_sound_s * sample_rate)
        self._zeros = 0  # exact zeros since the last sample that was not
        self.heard_sound = False  # any sample that was not zero, since capture began

    def feed(self, samples: np.ndarray) -> None:
        """The next samples the capture delivered (any length, in order)."""
        if samples.size == 0:
            return
        sound = np.flatnonzero(samples)
        if sound.size == 0:
            self._zeros += samples.size
            return
        self._zeros = samples.size - 1 - int(sound[-1])
        self.heard_sound = True

    @property
    def silent(self) -> bool:
        """True while the capture has delivered only exact zeros for long enough."""
        return self._zeros >= (self._after_sound if self.heard_sound else self._after)


def silent_microphone_text(name: str, platform: str = sys.platform) -> str:
    """What to tell the user, and where to allow the microphone on this system."""
    if platform == "win32":
        text = translate(
            "audio",
            "The microphone '{name}' delivers only silence: Windows may be blocking it. Allow "
            "it in Settings → Privacy & security → Microphone (turn on “Let desktop apps "
            "access your microphone”), and check that it is not muted.",
        )
    elif platform == "darwin":
        text = translate(
            "audio",
            "The microphone '{name}' delivers only silence: macOS may be blocking it. Allow "
            "Captioner in System Settings → Privacy & Security → Microphone, and check that "
            "it is not muted.",
        )
    else:
        text = translate(
            "audio",
            "The microphone '{name}' delivers only silence: it is probably muted. Unmute it "
            "in the sound settings (or in pavucontrol, under Input Devices).",
        )
    return text.format(name=name)
