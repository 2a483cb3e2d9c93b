"""Finding input devices by index or name, and choosing a capture rate they accept."""

from __future__ import annotations

from dataclasses import dataclass

import sounddevice as sd

from captioner.audio import SAMPLE_RATE
from captioner.errors import AudioDeviceError
from captioner.i18n import translate


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    host_api: str
    max_channels: int
    default_rate: float
    is_default: bool


def list_input_devices() -> list[InputDevice]:
    try:
        devices = sd.query_devices()
        host_apis = sd.query_hostapis()
        default_index = _default_input_index()
    except sd.PortAudioError as exc:
        raise AudioDeviceError(
            translate("audio", "Could not list audio devices: {exc}").format(exc=exc)
        ) from exc
    return [
        InputDevice(
            index=i,
            name=str(d["name"]),
            host_api=str(host_apis[d["hostapi"]]["name"]),
            max_channels=int(d["max_input_channels"]),
            default_rate=float(d["default_samplerate"]),
            is_default=i == default_index,
        )
        for i, d in enumerate(devices)
        if d["max_input_channels"] > 0
    ]


def _default_input_index() -> int | None:
    index = sd.default.device[0]
    if index is None or index < 0:
        try:
            return int(sd.query_devices(kind="input")["index"])
        except (sd.PortAudioError, ValueError):
            return None
    return int(index)


def resolve_input_device(spec: int | str | None) -> InputDevice:
    """The device a user named: ``None``/"default", an index, or a (part of a) name."""
    devices = list_input_devices()
    if not devices:
        raise AudioDeviceError(
            translate(
                "audio",
                "No microphone or other audio input device was found. Plug one in, or check "
                "that the operating system allows this app to use the microphone.",
            )
        )
    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ("", "default")):
        for device in devices:
            if device.is_default:
                return device
        return devices[0]
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().isdigit()):
        index = int(spec)
        for device in devices:
            if device.index == index:
                return device
        raise AudioDeviceError(
            translate("audio", "There is no input device with index {index}. {hint}").format(
                index=index, hint=_listing_hint(devices)
            )
        )
    wanted = spec.strip().lower()
    exact = [d for d in devices if d.name.lower() == wanted]
    if exact:
        return exact[0]
    partial = [d for d in devices if wanted in d.name.lower()]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise AudioDeviceError(
            translate("audio", "No input device is called '{spec}'. {hint}").format(
                spec=spec, hint=_listing_hint(devices)
            )
        )
    names = ", ".join(f"[{d.index}] {d.name}" for d in partial)
    raise AudioDeviceError(
        translate(
            "audio", "'{spec}' matches several input devices: {names}. Use the index."
        ).format(spec=spec, names=names)
    )


def _listing_hint(devices: list[InputDevice]) -> str:
    names = "; ".join(f"[{d.index}] {d.name}" for d in devices)
    return translate(
        "audio", "Available inputs: {names}. (`captioner devices` lists them.)"
    ).format(names=names)


def choose_capture_format(device: InputDevice) -> tuple[int, int]:
    """(sample rate, channels): 16 kHz mono if the device takes it, else its native rate."""
    for rate in (SAMPLE_RATE, int(device.default_rate)):
        for channels in (1, min(2, device.max_channels)):
            try:
                sd.check_input_settings(
                    device=device.index, samplerate=rate, channels=channels, dtype="float32"
                )
            except (sd.PortAudioError, ValueError):
                continue
            return rate, channels
    raise AudioDeviceError(
        translate(
            "audio",
            "The input device '{name}' accepts neither 16000 Hz nor its own default rate "
            "({rate:.0f} Hz). Choose another device.",
        ).format(name=device.name, rate=device.default_rate)
    )


def rescan_devices() -> None:
    """Make PortAudio list devices afresh (it reads them once, at start-up): after an
    unplug, or when the default device changed. Only call it with no stream open."""
    sd._terminate()
    sd._initialize()
