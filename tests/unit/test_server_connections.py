"""Where a client's first request ends, however its bytes arrive (pure logic of
captioner.server.connections)."""

from __future__ import annotations

from captioner.server.connections import RequestHead

REQUEST = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1:8765\r\n\r\n"


def test_a_request_alone_is_passed_on_whole():
    head = RequestHead()
    assert head.feed(REQUEST) == REQUEST
    assert head.complete and not head.overrun


def test_what_follows_the_request_is_dropped_and_noted():
    head = RequestHead()
    assert head.feed(REQUEST + REQUEST) == REQUEST
    assert head.overrun
    late = RequestHead()
    assert late.feed(REQUEST) == REQUEST
    assert late.feed(b"\x81\x85") == b"" and late.overrun


def test_the_end_of_the_head_is_found_across_reads_split_anywhere():
    for size in (1, 2, 3, 5, 7):
        head = RequestHead()
        data = REQUEST + b"GET / HTTP/1.1\r\n\r\n"
        passed = b"".join(head.feed(data[i : i + size]) for i in range(0, len(data), size))
        assert passed == REQUEST, size
        assert head.complete and head.overrun


def test_an_unfinished_head_is_passed_on_as_it_comes():
    head = RequestHead()
    assert head.feed(b"GET / HTTP/1.1\r\n") == b"GET / HTTP/1.1\r\n"
    assert head.feed(b"Host: x\r\n") == b"Host: x\r\n"
    assert not head.complete and not head.overrun
    assert head.feed(b"") == b""


def test_the_end_of_the_clients_side_after_its_request_counts_as_going_on():
    head = RequestHead()
    assert not head.end()  # before a whole request: nothing to answer
    assert not head.overrun
    head.feed(REQUEST)
    assert head.end() and head.overrun
