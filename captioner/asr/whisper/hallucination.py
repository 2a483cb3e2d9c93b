"""Recognising Whisper's silence hallucinations.

Trained on subtitles, Whisper fills silence and noise with subtitle credits and sign-offs.
A segment is dropped when the model itself says it heard no speech (high no-speech
probability together with low confidence), when its text is a known credit line, or when it
has more text than anyone could say in the time (loops such as "1111111111" on half a second).
"""

from __future__ import annotations

from dataclasses import dataclass

from captioner.text.normalize import normalize_for_scoring

# Phrases that are never speech worth captioning: subtitle credits and channel plugs.
_CREDIT_LINES = (
    "字幕由Amara.org社群提供",
    "字幕由Amara.org社区提供",
    "Subtitles by the Amara.org community",
    "请不吝点赞 订阅 转发 打赏支持明镜与点点栏目",
    "请不吝点赞订阅转发",
    "明镜与点点栏目",
    "点赞订阅转发打赏",
    "优优独播剧场——YoYo Television Series Exclusive",
    "YoYo Television Series Exclusive",
    "中文字幕志愿者",
    "字幕志愿者",
    "本字幕由",
    "字幕製作",
    "字幕制作",
    "字幕by",
)
# Sign-offs that are real speech at the end of a talk but hallucinations in silence: dropped
# only when the segment is nothing else and the model is unsure there was speech.
_SIGN_OFFS = (
    "谢谢观看",
    "感谢观看",
    "谢谢大家",
    "谢谢收看",
    "请订阅我的频道",
    "订阅我的频道",
    "Thank you for watching",
    "Thanks for watching",
    "Thank you",
)

_CREDIT_KEYS = tuple(normalize_for_scoring(p) for p in _CREDIT_LINES)
_SIGN_OFF_KEYS = frozenset(normalize_for_scoring(p) for p in _SIGN_OFFS)


@dataclass(frozen=True)
class HallucinationFilter:
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    unsure_no_speech: float = 0.3
    # Fast Mandarin is ~7 characters a second, fast English ~4 words: 15 units/s is no speech.
    max_units_per_second: float = 15.0

    def is_hallucination(
        self,
        text: str,
        no_speech_prob: float,
        avg_logprob: float,
        units: int = 0,
        speech_seconds: float | None = None,
    ) -> bool:
        key = normalize_for_scoring(text)
        if not key:
            return True
        if speech_seconds is not None and units > 3 + self.max_units_per_second * speech_seconds:
            return True
        if no_speech_prob > self.no_speech_threshold and avg_logprob < self.log_prob_threshold:
            return True
        if any(credit in key for credit in _CREDIT_KEYS):
            return True
        return key in _SIGN_OFF_KEYS and (
            no_speech_prob > self.unsure_no_speech or avg_logprob < self.log_prob_threshold
        )
