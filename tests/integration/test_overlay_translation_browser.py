"""Translations on the OBS overlay page, in a real headless Chromium against a real server:
with ?translation=1 each confirmed line has its translation under it, in its own colour and
size, also when a page loads afterwards (hello replays them); without it, none is shown."""

from __future__ import annotations

from dataclasses import replace

import pytest

from captioner.transcript.events import TranscriptEvent
from tests.support.chromium import Chromium, require_chromium, wait_until
from tests.support.server import ServerThread, final, partial

pytestmark = pytest.mark.browser

LINES = """[...document.querySelectorAll('#final .line')].map((line) => [
    (line.querySelector('.said') || {}).textContent || '',
    (line.querySelector('.translation') || {}).textContent || ''])"""
TRANSLATION_STYLE = """(() => {
    const t = document.querySelector('#final .translation');
    const said = document.querySelector('#final .said');
    return [getComputedStyle(t).color, getComputedStyle(t).fontSize,
            t.getBoundingClientRect().top >= said.getBoundingClientRect().bottom - 1];
})()"""


def numbered(text: str, n: int) -> TranscriptEvent:
    return replace(final(text), final=n)


def translation(text: str, n: int) -> TranscriptEvent:
    return TranscriptEvent(0.0, "translation", text, 0.0, 1.0, lang="en", final=n)


@pytest.fixture
def server():
    running = ServerThread()
    yield running
    running.close()


def test_with_the_parameter_each_line_shows_its_translation_under_it(server, tmp_path):
    require_chromium()
    with Chromium(tmp_path / "profile", 1280, 300) as browser:
        url = server.server.overlay_url + (
            "?hold=30&size=40&translation=1&translation_color=40c0ff&translation_size=24"
        )
        browser.navigate(url)
        assert wait_until(lambda: server.server.client_count == 1)
        server.server.publish_final(numbered("曼萨尼约港口被关闭", 1))
        server.server.publish_partial(partial("有关能否"))  # the next line began meanwhile
        assert wait_until(lambda: browser.evaluate(LINES) == [["曼萨尼约港口被关闭", ""]])
        server.server.publish_translation(translation("The port of Manzanillo was closed.", 1))
        expected = [["曼萨尼约港口被关闭", "The port of Manzanillo was closed."]]
        assert wait_until(lambda: browser.evaluate(LINES) == expected), browser.evaluate(LINES)
        assert browser.evaluate("document.getElementById('partial').textContent") == "有关能否"
        assert browser.evaluate(TRANSLATION_STYLE) == ["rgb(64, 192, 255)", "24px", True]
        server.server.publish_final(numbered("有关能否改控串谋", 2))
        server.server.publish_translation(translation("Whether to charge collusion", 2))
        expected += [["有关能否改控串谋", "Whether to charge collusion"]]
        assert wait_until(lambda: browser.evaluate(LINES) == expected), browser.evaluate(LINES)

        # A page loaded later gets both from hello.
        browser.navigate(url)
        assert wait_until(lambda: browser.evaluate(LINES) == expected), browser.evaluate(LINES)

        # Only the translation, for viewers who do not read the spoken language.
        browser.navigate(server.server.overlay_url + "?hold=30&translation=only")
        only = [["", "The port of Manzanillo was closed."], ["", "Whether to charge collusion"]]
        assert wait_until(lambda: browser.evaluate(LINES) == only), browser.evaluate(LINES)


def test_without_the_parameter_no_translation_is_shown(server, tmp_path):
    require_chromium()
    final_text = "document.getElementById('final').textContent"
    with Chromium(tmp_path / "profile", 1280, 200) as browser:
        browser.navigate(server.server.overlay_url + "?hold=30")
        assert wait_until(lambda: server.server.client_count == 1)
        server.server.publish_final(numbered("曼萨尼约港口被关闭", 1))
        server.server.publish_translation(translation("The port of Manzanillo was closed.", 1))
        server.server.publish_final(numbered("好的", 2))
        assert wait_until(lambda: browser.evaluate(final_text) == "曼萨尼约港口被关闭好的")
        assert "Manzanillo" not in browser.evaluate("document.body.textContent")
        browser.navigate(server.server.overlay_url + "?hold=30")  # hello has it: not shown
        assert wait_until(lambda: browser.evaluate(final_text) == "曼萨尼约港口被关闭好的")
        assert "Manzanillo" not in browser.evaluate("document.body.textContent")
