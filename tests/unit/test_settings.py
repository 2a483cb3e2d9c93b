import json

from captioner.settings import Settings, SettingsStore, load_settings, save_settings
from tests.support.settings import seventeen_wrong_values


def test_round_trip(tmp_path):
    path = tmp_path / "settings.json"
    settings = Settings()
    settings.overlay.font_size = 40
    settings.overlay.positions = {"DELL 2560x1440": [10, 20, 800, 110]}
    settings.hotkey.keys = "f9"
    settings.server.allowed_origins = ["https://example.org"]
    save_settings(settings, path)
    loaded = load_settings(path)
    assert loaded.warnings == []
    assert loaded.settings == settings


def test_missing_file_gives_defaults_silently(tmp_path):
    loaded = load_settings(tmp_path / "none.json")
    assert loaded.settings == Settings() and loaded.warnings == []


def test_bad_values_fall_back_one_by_one_with_warnings(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "overlay": {"font_size": "huge", "lines": 3, "background_opacity": 7},
                "hotkey": {"mode": "sometimes"},
                "recognition": "not a group",
                "audio": {"input": "USB Mic"},
                "mystery": True,
            }
        ),
        encoding="utf-8",
    )
    loaded = load_settings(path)
    s = loaded.settings
    assert s.overlay.font_size == 28 and s.overlay.lines == 3
    assert s.overlay.background_opacity == 0.45
    assert s.hotkey.mode == "hold"
    assert s.audio.input == "USB Mic"
    text = "\n".join(loaded.warnings)
    for fragment in (
        "overlay.font_size",
        "background_opacity",
        "hotkey.mode",
        "'recognition'",
        "mystery",
    ):
        assert fragment in text


def test_corrupt_file_is_backed_up_and_replaced_by_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"overlay": {"font_size": 3', encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.settings == Settings()
    assert loaded.backup is not None and loaded.backup.read_text() == '{"overlay": {"font_size": 3'
    assert not path.exists()
    assert "could not be read" in loaded.warnings[0] and str(loaded.backup) in loaded.warnings[0]


def test_command_line_overrides_are_not_saved_unless_changed(tmp_path):
    path = tmp_path / "settings.json"
    stored = Settings()
    stored.recognition.model = "base"
    stored.transcripts.folder = "/home/me/talks"
    save_settings(stored, path)
    store = SettingsStore(path, {"recognition.model": "small", "transcripts.folder": "/usb"})
    assert store.settings.recognition.model == "small"
    current = store.settings
    current.overlay.font_size = 50  # the user changes something else
    current.transcripts.folder = "/usb/other"  # and, explicitly, the folder
    store.save(current)
    saved = load_settings(path).settings
    assert saved.recognition.model == "base"  # the one-off override is not persisted
    assert saved.overlay.font_size == 50
    assert saved.transcripts.folder == "/usb/other"  # a deliberate change is


def test_vocabulary_is_kept_in_the_settings_and_reaches_recognition(tmp_path, caplog):
    from captioner.control.config import recognition_config
    from captioner.text.vocabulary import Replacement

    path = tmp_path / "settings.json"
    settings = Settings()
    settings.recognition.vocabulary = ["霍思燕", "派森 => Python", "=> broken"]
    save_settings(settings, path)
    loaded = load_settings(path).settings
    assert loaded.recognition.vocabulary == ["霍思燕", "派森 => Python", "=> broken"]
    config = recognition_config(loaded.recognition)
    assert config.vocabulary.terms == ("霍思燕", "Python")
    assert config.vocabulary.replacements == (Replacement("派森", "Python"),)
    assert "line 3" in caplog.text and "left out" in caplog.text  # the rest still applies


def test_many_wrong_values_are_summed_up_in_one_line_and_the_file_is_kept(tmp_path):
    path = tmp_path / "settings.json"
    original = json.dumps(seventeen_wrong_values())
    path.write_text(original, encoding="utf-8")
    store = SettingsStore(path)
    assert len(store.warnings) == 17
    summary = store.summary()
    assert summary is not None and "\n" not in summary
    assert summary.startswith("17 settings were reset to their defaults")
    assert store.backup is not None and str(store.backup) in summary
    assert store.backup.read_text(encoding="utf-8") == original
    store.save(store.settings)  # as on quit: the file is rewritten, the old one stays
    assert load_settings(path).warnings == []
    assert store.backup.read_text(encoding="utf-8") == original


def test_a_corrupt_file_message_names_the_backup_first(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{" + "x" * 500, encoding="utf-8")
    store = SettingsStore(path)
    summary = store.summary()
    assert summary is not None and store.backup is not None
    # the path comes before the (long) reason, so a message cut short still says where
    assert summary.index(str(store.backup)) < summary.index("Expecting")


def test_an_unknown_language_in_the_file_is_reset():
    loaded_warnings: list[str] = []
    from captioner.settings import _build

    settings = _build(Settings, {"recognition": {"language": "xx"}}, "", loaded_warnings)
    assert settings.recognition.language == "zh"
    assert "recognition.language" in loaded_warnings[0]
