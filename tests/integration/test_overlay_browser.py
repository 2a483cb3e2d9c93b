"""The OBS overlay page in a real headless Chromium, against a real server (no model needed).

The live pipeline driving the overlay is tested in test_server_pipeline.py.
"""

from __future__ import annotations

import time

import pytest

from tests.support.chromium import OVERLAY_TEXT, Chromium, require_chromium, wait_until
from tests.support.server import ServerThread, final, partial

pytestmark = pytest.mark.browser


def style(browser: Chromium, element: str, prop: str) -> str:
    return browser.evaluate(f"getComputedStyle(document.getElementById('{element}')).{prop}")


@pytest.fixture
def server():
    running = ServerThread()
    yield running
    running.close()


def test_overlay_styles_blanks_stale_text_and_reconnects_by_itself(server, tmp_path):
    require_chromium()
    with Chromium(tmp_path / "profile", 1280, 200) as browser:
        url = server.server.overlay_url + "?hold=3&color=ffcc00&partial=00ff00&size=40&lines=2"
        browser.navigate(url)
        assert wait_until(lambda: server.server.client_count == 1)

        # Confirmed and partial text, styled from the query parameters, apart from each other.
        server.server.publish_final(final("曼萨尼约港口被关闭"))
        assert (
            browser.wait_for("document.getElementById('final').textContent") == "曼萨尼约港口被关闭"
        )
        server.server.publish_partial(partial("有关能否"))
        assert browser.wait_for("document.getElementById('partial').textContent") == "有关能否"
        assert style(browser, "final", "color") == "rgb(255, 204, 0)"
        assert style(browser, "partial", "color") == "rgb(0, 255, 0)"
        assert style(browser, "text", "fontSize") == "40px"
        assert browser.evaluate("getComputedStyle(document.body).backgroundColor") == (
            "rgba(0, 0, 0, 0)"
        )

        # `clear` blanks at once; otherwise text disappears `hold` seconds after the last news.
        cleared_at = time.monotonic()
        server.server.publish_clear()
        assert wait_until(lambda: browser.evaluate(OVERLAY_TEXT) == ["", ""])
        assert time.monotonic() - cleared_at < 2.5
        server.server.publish_final(final("假语村言"))
        assert browser.wait_for("document.getElementById('final').textContent") == "假语村言"
        shown_at = time.monotonic()
        assert wait_until(lambda: browser.evaluate(OVERLAY_TEXT) == ["", ""], timeout_s=10)
        assert 2.5 < time.monotonic() - shown_at < 6

        # The server goes away and comes back (a new session): the page reconnects.
        server.restart()
        assert wait_until(lambda: server.server.client_count == 1, timeout_s=20)
        server.server.publish_final(final("重新连接"))
        assert browser.wait_for("document.getElementById('final').textContent") == "重新连接"

        # A page loaded after a silence shows nothing stale, although hello replays it.
        assert wait_until(lambda: browser.evaluate(OVERLAY_TEXT) == ["", ""], timeout_s=10)
        browser.navigate(url)
        assert wait_until(lambda: server.server.client_count == 1)
        time.sleep(1.0)
        assert browser.evaluate(OVERLAY_TEXT) == ["", ""]
        server.server.publish_final(final("新的一句"))
        assert browser.wait_for("document.getElementById('final').textContent") == "新的一句"


def test_overlay_labels_each_side_and_keeps_one_partial_per_side(server, tmp_path):
    """--source both: finals name their side; a partial of one side does not replace the
    other side's."""
    from dataclasses import replace

    require_chromium()
    final_text = "document.getElementById('final').textContent"
    partial_text = "document.getElementById('partial').textContent"
    with Chromium(tmp_path / "profile", 1280, 200) as browser:
        browser.navigate(server.server.overlay_url + "?hold=30")
        assert wait_until(lambda: server.server.client_count == 1)
        server.server.publish_final(replace(final("曼萨尼约港口被关闭"), source="对方"))
        server.server.publish_final(replace(final("好的"), source="我"))
        expected = "对方: 曼萨尼约港口被关闭\u2003我: 好的"
        assert wait_until(lambda: browser.evaluate(final_text) == expected), browser.evaluate(
            final_text
        )
        server.server.publish_partial(replace(partial("有关"), source="对方"))
        server.server.publish_partial(replace(partial("我觉得"), source="我"))
        both = "\u2003对方: 有关\u2003我: 我觉得"
        assert wait_until(lambda: browser.evaluate(partial_text) == both), browser.evaluate(
            partial_text
        )
        server.server.publish_partial(replace(partial(""), source="对方"))  # cleared: one left
        assert wait_until(lambda: browser.evaluate(partial_text) == "\u2003我: 我觉得")
