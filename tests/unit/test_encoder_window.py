"""Encoder windows come in a few lengths only: each new length kept native memory."""

from captioner.asr.whisper.decoding import encoder_window


def test_windows_are_whole_5_second_steps_with_room_after_the_audio():
    assert encoder_window(frames=300, min_window_s=10.0) == 1000
    assert encoder_window(frames=960, min_window_s=10.0) == 1500  # 50 frames of room
    assert encoder_window(frames=1400, min_window_s=15.0) == 1500
    assert encoder_window(frames=2990, min_window_s=10.0) == 3000  # Whisper's 30 s at most


def test_any_length_gives_one_of_five_windows():
    lengths = {encoder_window(frames, 10.0) for frames in range(1, 3001, 7)}
    assert lengths == {1000, 1500, 2000, 2500, 3000}
