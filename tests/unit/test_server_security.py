"""Who may read and control the feed, the server's settings, and one client's outbox."""

from __future__ import annotations

import errno
import socket

import pytest

from captioner.server.config import (
    ServerConfig,
    ServerConfigError,
    bind_error,
    parse_serve_address,
)
from captioner.server.outbox import Outbox, Outgoing
from captioner.server.security import (
    host_is_safe,
    is_loopback_host,
    normalize_origin,
    origin_allowed,
    peer_is_loopback,
    token_matches,
    token_presented,
)
from tests.support.i18n import chinese_interface


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8765", ("127.0.0.1", 8765)),
        (" 0 ", ("127.0.0.1", 0)),
        ("0.0.0.0:9000", ("0.0.0.0", 9000)),
        ("localhost:80", ("localhost", 80)),
        ("[::1]:8765", ("::1", 8765)),
    ],
)
def test_serve_address_parses(text, expected):
    assert parse_serve_address(text) == expected


@pytest.mark.parametrize("text", ["", "port", "host:", ":80", "1:2:3", "70000", "[::1]", "a:b"])
def test_bad_serve_address_says_what_is_expected(text):
    with pytest.raises(ServerConfigError, match=r"\[HOST:\]PORT"):
        parse_serve_address(text)


def test_binding_beyond_loopback_needs_a_token():
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        ServerConfig(host=host).validate()
    with pytest.raises(ServerConfigError, match="--token") as caught:
        ServerConfig(host="0.0.0.0").validate()
    assert "0.0.0.0" in str(caught.value)
    with pytest.raises(ServerConfigError, match="--token"):
        ServerConfig(host="192.168.1.20", token="").validate()
    ServerConfig(host="0.0.0.0", token="correct-horse").validate()


def test_short_tokens_and_non_origins_are_refused():
    with pytest.raises(ServerConfigError, match="at least 8"):
        ServerConfig(token="1234").validate()
    with pytest.raises(ServerConfigError, match="is not an origin"):
        ServerConfig(allow_origins=("https://example.com/page",)).validate()
    with pytest.raises(ServerConfigError, match="out of range"):
        ServerConfig(port=70000).validate()
    ServerConfig(allow_origins=("https://example.com", "null")).validate()


def test_loopback_checks():
    assert all(map(is_loopback_host, ["127.0.0.1", "127.8.8.8", "::1", "localhost", "LOCALHOST"]))
    assert not any(map(is_loopback_host, ["0.0.0.0", "::", "192.168.1.2", "example.com", ""]))
    assert peer_is_loopback("127.0.0.1") and peer_is_loopback("::ffff:127.0.0.1")
    assert not peer_is_loopback("192.0.2.2") and not peer_is_loopback("::ffff:10.0.0.1")


@pytest.mark.parametrize(
    ("host_header", "safe"),
    [
        ("127.0.0.1:8765", True),
        ("localhost:8765", True),
        ("LOCALHOST", True),
        ("[::1]:8765", True),
        ("192.168.1.5:8765", True),
        ("mypc:8765", True),  # the name the server was bound to
        ("evil.example:8765", False),  # DNS rebinding: a domain re-pointed at 127.0.0.1
        ("127.0.0.1.evil.example", False),
        ("", False),
        (None, False),
    ],
)
def test_host_header_guards_against_dns_rebinding(host_header, safe):
    assert host_is_safe(host_header, "mypc") is safe


@pytest.mark.parametrize(
    ("origin", "normalized"),
    [
        ("https://Example.com", "https://example.com"),
        ("http://example.com:80", "http://example.com"),
        ("https://example.com:443/", "https://example.com"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://[::1]:8765", "http://[::1]:8765"),
        ("null", "null"),
        ("example.com", None),
        ("https://example.com/path", None),
        ("https://user@example.com", None),
        ("http://example.com:99999", None),
    ],
)
def test_origins_normalize(origin, normalized):
    assert normalize_origin(origin) == normalized


def test_origin_policy():
    host = "127.0.0.1:8765"
    assert origin_allowed(None, host, ())  # native clients send no Origin
    assert origin_allowed("http://127.0.0.1:8765", host, ())  # the server's own overlay page
    assert origin_allowed("HTTP://127.0.0.1:8765/", host, ())
    assert not origin_allowed("https://evil.example", host, ())
    assert not origin_allowed("http://127.0.0.1:3000", host, ())  # another local web app
    assert not origin_allowed("null", host, ())  # a local file or sandboxed frame
    assert origin_allowed("null", host, ("null",))
    assert origin_allowed("https://captions.example", host, ("https://Captions.example:443",))
    assert not origin_allowed("garbage", host, ("garbage",))


def test_tokens():
    assert token_presented("token=abc&x=1", None) == "abc"
    assert token_presented("", "Bearer s3cret-token") == "s3cret-token"
    assert token_presented("token=q", "Bearer h") == "h"
    assert token_presented("", "Basic abc") is None
    assert token_matches("correct-horse", "correct-horse")
    assert not token_matches("correct-horse", "correct-hors")
    assert not token_matches("correct-horse", None)
    assert not token_matches(None, "anything")


def item(kind: str, at: float = 0.0, data: bytes = b"") -> Outgoing:
    return Outgoing(kind, data or kind.encode(), at)


def test_outbox_keeps_only_the_newest_partial_and_state():
    box = Outbox(max_messages=10, max_delay_s=10)
    for i in range(5):
        assert box.push(item("partial", data=f"p{i}".encode()))
        assert box.push(item("state", data=f"s{i}".encode()))
    assert box.kinds() == ["partial", "state"]
    assert box.pop().data == b"p4" and box.pop().data == b"s4"


def test_outbox_keeps_the_newest_partial_of_each_source():
    """Two sources: a waiting "Me" partial is not lost to a newer "Others" one."""
    box = Outbox(max_messages=10, max_delay_s=10)
    for i in range(3):
        box.push(Outgoing("partial", f"me{i}".encode(), 0.0, "Me"))
        box.push(Outgoing("partial", f"others{i}".encode(), 0.0, "Others"))
    assert [box.pop().data for _ in range(len(box))] == [b"me2", b"others2"]


def test_outbox_never_moves_a_partial_across_a_final():
    box = Outbox(max_messages=10, max_delay_s=10)
    for kind in ("hello", "partial", "final", "partial", "error", "partial", "clear", "partial"):
        box.push(item(kind))
    assert box.kinds() == ["hello", "partial", "final", "error", "partial", "clear", "partial"]
    # finals, errors and answers are never coalesced
    for _ in range(3):
        box.push(item("final"))
    assert box.kinds().count("final") == 4


def test_outbox_reports_a_client_that_cannot_keep_up():
    box = Outbox(max_messages=3, max_delay_s=5)
    assert box.push(item("final", 0.0)) and box.push(item("final", 1.0))
    assert box.push(item("final", 2.0))
    assert not box.push(item("final", 3.0))  # a fourth message waiting: too many
    late = Outbox(max_messages=100, max_delay_s=5)
    assert late.push(item("final", 0.0))
    assert late.push(item("partial", 4.9))
    assert not late.push(item("partial", 5.1))  # the oldest has waited more than 5 s
    late.pop()
    assert len(late) == 1 and late.push(item("partial", 5.2))


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (OSError(errno.EADDRINUSE, "Address already in use"), "already in use"),
        (OSError(errno.EACCES, "Permission denied"), "not allowed to use that port"),
        (OSError(errno.EADDRNOTAVAIL, "Cannot assign"), "no such address on this machine"),
        (socket.gaierror(-2, "Name or service not known"), "no such address on this machine"),
        (OSError(errno.ENOBUFS, "No buffer space available"), "No buffer space available"),
    ],
)
def test_an_address_that_cannot_be_served_is_explained(error, says):
    text = bind_error(ServerConfig(host="127.0.0.1", port=8765), error)
    assert text.startswith("Cannot serve captions on 127.0.0.1:8765: ") and says in text


def test_an_address_that_cannot_be_served_is_explained_in_the_users_language(qapp):
    with chinese_interface():
        text = bind_error(ServerConfig(), OSError(errno.EADDRINUSE, "Address already in use"))
    assert text == (
        "无法在 127.0.0.1:8765 上推送字幕：端口已被占用（被另一个 Captioner 或其他程序）。"
        "请换一个端口，例如 --serve 8766。"
    )
