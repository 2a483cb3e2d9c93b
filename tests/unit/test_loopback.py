"""The system-audio source's own logic, on a stand-in for the soundcard library.

The stand-in follows soundcard's documented API (``all_speakers``, ``default_speaker``,
``get_microphone(id, include_loopback=True)``, ``microphone.recorder(samplerate, channels,
blocksize)`` as a context manager whose ``record(numframes)`` returns frames x channels
float32): which device is opened on Windows (the speaker's own endpoint id) and on Linux (its
monitor), mix-down into the ring, following the default output device, and what an unplug
does. Real capture on PulseAudio is tested in tests/integration/test_system_audio.py.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from captioner.audio import loopback
from captioner.audio.loopback import (
    SystemAudioSource,
    list_output_devices,
    loopback_id,
    resolve_output_device,
)
from captioner.errors import AudioDeviceError


class FakeRecorder:
    def __init__(self, card: FakeSoundcard, mic_id: str, samplerate: int, channels: int) -> None:
        self.card, self.mic_id = card, mic_id
        self.samplerate, self.channels = samplerate, channels
        self.open = False

    def __enter__(self) -> FakeRecorder:
        if self.mic_id in self.card.broken:
            raise RuntimeError("AUDCLNT_E_DEVICE_INVALIDATED")
        self.open = True
        self.card.opened.append(self.mic_id)
        return self

    def __exit__(self, *exc: object) -> None:
        self.open = False
        self.card.closed.append(self.mic_id)

    def record(self, numframes: int) -> np.ndarray:
        time.sleep(0.002)
        if self.mic_id in self.card.broken:
            raise RuntimeError("Recording failed, stream is in status FAILED")
        left = np.full(numframes, self.card.level[self.mic_id], np.float32)
        return np.stack([left, -0.5 * left], axis=1)[:, : self.channels]


class FakeSoundcard:
    """soundcard's module-level API over a list of speakers (ids and names)."""

    def __init__(self, speakers: dict[str, str], default: str) -> None:
        self.speakers = speakers
        self.default = default
        self.level: dict[str, float] = {}
        self.broken: set[str] = set()
        self.opened: list[str] = []
        self.closed: list[str] = []
        self.requests: list[tuple[str, bool]] = []

    def _speaker(self, id_: str) -> Any:
        return SimpleNamespace(id=id_, name=self.speakers[id_], channels=2)

    def all_speakers(self) -> list[Any]:
        return [self._speaker(i) for i in self.speakers]

    def default_speaker(self) -> Any:
        return self._speaker(self.default)

    def get_microphone(self, id: str, include_loopback: bool = False) -> Any:
        self.requests.append((id, include_loopback))
        self.level.setdefault(id, 0.4)

        def recorder(samplerate: int, channels: int, blocksize: int) -> FakeRecorder:
            return FakeRecorder(self, id, samplerate, channels)

        return SimpleNamespace(recorder=recorder)


def windows_card() -> FakeSoundcard:
    return FakeSoundcard(
        {
            "{0.0.0.00000000}.{aaaa}": "Speakers (Realtek High Definition Audio)",
            "{0.0.0.00000000}.{bbbb}": "Headphones (USB Audio)",
        },
        default="{0.0.0.00000000}.{aaaa}",
    )


def wait_for(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_the_loopback_device_is_the_speaker_itself_on_windows_and_its_monitor_on_linux():
    assert loopback_id("{0.0.0.00000000}.{aaaa}", "win32") == "{0.0.0.00000000}.{aaaa}"
    assert loopback_id("alsa_output.pci-0000_00_1f.3.analog-stereo", "linux") == (
        "alsa_output.pci-0000_00_1f.3.analog-stereo.monitor"
    )


def test_output_devices_are_listed_with_the_default_marked():
    devices = list_output_devices(windows_card())
    assert [d.is_default for d in devices] == [True, False]
    assert devices[1].name == "Headphones (USB Audio)"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (None, "Speakers (Realtek High Definition Audio)"),
        ("default", "Speakers (Realtek High Definition Audio)"),
        ("1", "Headphones (USB Audio)"),
        ("usb", "Headphones (USB Audio)"),
        ("{0.0.0.00000000}.{bbbb}", "Headphones (USB Audio)"),
        ("headphones (usb audio)", "Headphones (USB Audio)"),
    ],
)
def test_an_output_device_is_found_by_default_number_name_or_id(spec, expected):
    devices = list_output_devices(windows_card())
    assert resolve_output_device(spec, devices).name == expected


def test_a_device_that_vanishes_while_being_listed_is_left_out():
    """PulseAudio answers each device's name separately; a sink unloaded in between (seen in
    the tests) must not break the listing, nor a capture being reopened."""
    card = windows_card()
    speakers = card.all_speakers()
    vanished = SimpleNamespace(id="alsa_output.gone", channels=2)  # its name: no such entity
    card.all_speakers = lambda: [vanished, *speakers]
    assert [d.name for d in list_output_devices(card)] == [s.name for s in speakers]


def test_unknown_ambiguous_or_no_output_devices_are_clear_errors():
    devices = list_output_devices(windows_card())
    with pytest.raises(AudioDeviceError, match="No output device is called 'hdmi'"):
        resolve_output_device("hdmi", devices)
    with pytest.raises(AudioDeviceError, match="matches several"):
        resolve_output_device("audio", devices)
    with pytest.raises(AudioDeviceError, match="No output device"):
        resolve_output_device(None, [])


def test_windows_capture_opens_the_speakers_loopback_and_mixes_stereo_down():
    card = windows_card()
    source = SystemAudioSource(backend=card, platform="win32", sample_rate=48000, channels=2)
    source.start()
    try:
        wait_for(lambda: source.ring.available() >= 4800)
    finally:
        source.stop()
    assert card.requests[0] == ("{0.0.0.00000000}.{aaaa}", True)  # include_loopback=True
    audio = source.ring.read()
    assert np.allclose(audio, (0.4 - 0.2) / 2)  # the mean of the two channels
    assert source.error is None
    assert card.closed == ["{0.0.0.00000000}.{aaaa}"]  # the stream is released on stop


def test_linux_capture_opens_the_sinks_monitor():
    card = FakeSoundcard({"alsa_output.usb": "USB Headset"}, default="alsa_output.usb")
    source = SystemAudioSource(backend=card, platform="linux")
    source.start()
    source.stop()
    assert card.requests[0] == ("alsa_output.usb.monitor", True)


def test_capture_follows_the_default_output_when_headphones_are_plugged_in(monkeypatch):
    monkeypatch.setattr(loopback, "FOLLOW_DEFAULT_S", 0.05)
    card = windows_card()
    card.level["{0.0.0.00000000}.{bbbb}"] = 0.8
    source = SystemAudioSource(backend=card, platform="win32")
    source.start()
    try:
        wait_for(lambda: source.ring.available() > 0)
        card.default = "{0.0.0.00000000}.{bbbb}"  # Windows moved the default to them
        wait_for(lambda: source.switches == 1)
        source.ring.read()
        wait_for(lambda: source.ring.available() >= 960)
        assert np.allclose(source.ring.read(), (0.8 - 0.4) / 2)  # now the headphones' sound
    finally:
        source.stop()
    assert source.device.name == "Headphones (USB Audio)"
    assert card.closed[0] == "{0.0.0.00000000}.{aaaa}"  # the old stream was released
    assert source.error is None


def test_a_chosen_device_is_kept_when_the_default_changes(monkeypatch):
    monkeypatch.setattr(loopback, "FOLLOW_DEFAULT_S", 0.05)
    card = windows_card()
    source = SystemAudioSource("Speakers", backend=card, platform="win32")
    source.start()
    try:
        card.default = "{0.0.0.00000000}.{bbbb}"
        time.sleep(0.3)
    finally:
        source.stop()
    assert source.switches == 0 and source.device.name.startswith("Speakers")


def test_an_unplugged_device_is_reported_and_capture_ends():
    card = windows_card()
    source = SystemAudioSource(backend=card, platform="win32")
    source.start()
    try:
        wait_for(lambda: source.ring.available() > 0)
        card.broken.add("{0.0.0.00000000}.{aaaa}")
        wait_for(lambda: source.error is not None)
    finally:
        source.stop()
    assert "Speakers (Realtek High Definition Audio)" in (source.error or "")
    assert "unplugged" in (source.error or "")


def test_a_chosen_device_that_disappears_is_reported_even_if_audio_still_flows(monkeypatch):
    """PulseAudio moves a removed sink's monitor stream to another source rather than failing
    it: the device list, not the stream, tells that the chosen device is gone."""
    monkeypatch.setattr(loopback, "FOLLOW_DEFAULT_S", 0.05)
    card = windows_card()
    source = SystemAudioSource("USB", backend=card, platform="win32")
    source.start()
    try:
        wait_for(lambda: source.ring.available() > 0)
        del card.speakers["{0.0.0.00000000}.{bbbb}"]  # unplugged; its stream goes on
        wait_for(lambda: source.error is not None)
    finally:
        source.stop()
    assert "Headphones (USB Audio)" in (source.error or "") and "gone" in (source.error or "")
    assert card.closed == ["{0.0.0.00000000}.{bbbb}"]


def test_a_capture_stuck_in_the_library_is_noticed_when_its_device_is_gone(monkeypatch):
    """A PulseAudio stream whose sink vanished may neither fail nor deliver: the consumer's
    check of ``error`` notices the stall and asks whether the device is still there."""
    monkeypatch.setattr(loopback, "STALL_S", 0.2)
    monkeypatch.setattr(loopback, "FOLLOW_DEFAULT_S", 0.05)
    card = windows_card()
    source = SystemAudioSource("USB", backend=card, platform="win32")
    source.start()
    stuck = threading.Event()
    release = threading.Event()
    original = FakeRecorder.record

    def hang(self: FakeRecorder, numframes: int) -> np.ndarray:
        stuck.set()
        release.wait(10)
        return original(self, numframes)

    try:
        monkeypatch.setattr(FakeRecorder, "record", hang)
        stuck.wait(5)
        time.sleep(0.4)
        assert source.error is None  # stalled, but the device is there: nothing to say
        del card.speakers["{0.0.0.00000000}.{bbbb}"]
        wait_for(lambda: source.error is not None)
    finally:
        release.set()
        source.stop()
    assert "gone" in (source.error or "")


def test_unplugging_the_default_moves_to_the_new_default_without_an_error():
    card = windows_card()
    source = SystemAudioSource(backend=card, platform="win32")
    source.start()
    try:
        wait_for(lambda: source.ring.available() > 0)
        card.default = "{0.0.0.00000000}.{bbbb}"
        card.broken.add("{0.0.0.00000000}.{aaaa}")
        wait_for(lambda: source.switches == 1)
    finally:
        source.stop()
    assert source.error is None
    assert source.device.id == "{0.0.0.00000000}.{bbbb}"


def test_a_device_that_cannot_be_opened_fails_at_start_with_a_message():
    card = windows_card()
    card.broken.add("{0.0.0.00000000}.{aaaa}")
    source = SystemAudioSource(backend=card, platform="win32")
    with pytest.raises(AudioDeviceError, match="Could not capture what 'Speakers"):
        source.start()


def test_stop_does_not_wait_for_a_stuck_sound_server(monkeypatch):
    """A recorder that never returns (a hung sound server) must not hang the app."""
    card = windows_card()
    release = threading.Event()
    original = FakeRecorder.record

    def stuck(self: FakeRecorder, numframes: int) -> np.ndarray:
        release.wait(10)
        return original(self, numframes)

    monkeypatch.setattr(FakeRecorder, "record", stuck)
    source = SystemAudioSource(backend=card, platform="win32")
    source.start()
    started = time.monotonic()
    source.stop()
    assert time.monotonic() - started < 3.0
    release.set()
