import pytest

from captioner.errors import CaptionerError
from captioner.text.languages import WHISPER_LANGUAGES, parse_language


def test_the_language_list_is_whispers_own():
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    assert tuple(_LANGUAGE_CODES) == WHISPER_LANGUAGES


def test_codes_are_checked_and_auto_means_detect():
    assert parse_language("zh") == "zh" and parse_language(" YUE ") == "yue"
    assert parse_language("auto") is None
    with pytest.raises(CaptionerError, match="Unknown language 'xx'"):
        parse_language("xx")
