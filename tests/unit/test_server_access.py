"""The feed server's routing and access rules as pure decisions: no sockets, a request is its
facts (method, target, headers, peer) and the clock is a number."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from captioner.server.access import Access, Allow, Refuse, RequestFacts
from captioner.server.config import ServerConfig
from captioner.server.protocol import ControlMessage

LOCAL = "127.0.0.1"
REMOTE = "192.0.2.7"
TOKEN = "correct-horse-battery"
HOST = ("Host", "127.0.0.1:8765")
UPGRADE = ("Upgrade", "websocket")


def request(
    target: str = "/ws",
    *headers: tuple[str, str],
    peer: str = LOCAL,
    method: str = "GET",
    clients: int = 0,
) -> RequestFacts:
    return RequestFacts(method, target, headers or (HOST, UPGRADE), peer, clients)


def access(**config: object) -> Access:
    return Access(ServerConfig(**config).validate())


def status(decision: Allow | Refuse) -> HTTPStatus | None:
    return decision.status if isinstance(decision, Refuse) else None


def control(token: str | None = None, id: int | None = 1) -> ControlMessage:
    return ControlMessage("stop", token, id)


def test_pages_and_the_feed_are_routed_by_path():
    rules = access()
    assert rules.decide(request(), 0) == Allow("ws")
    assert rules.decide(request("/overlay?size=60", HOST), 0) == Allow("overlay")
    assert rules.decide(request("/overlay/", HOST), 0) == Allow("overlay")
    assert rules.decide(request("/stats", HOST), 0) == Allow("stats")
    assert rules.decide(request("/", HOST), 0) == Allow("index")
    assert rules.decide(request("/health", HOST), 0) == Allow("health")
    missing = rules.decide(request("/nothing", HOST), 0)
    assert isinstance(missing, Refuse) and missing.status == HTTPStatus.NOT_FOUND
    assert not missing.counted  # a missing page is not a rejected connection
    elsewhere = rules.decide(request("/feed", HOST, UPGRADE), 0)
    assert isinstance(elsewhere, Refuse) and "/ws" in elsewhere.reason


def test_only_get_and_head_are_allowed_and_a_websocket_is_not_opened_by_head():
    rules = access()
    for method in ("POST", "PUT", "OPTIONS"):
        refused = rules.decide(request("/overlay", HOST, method=method), 0)
        assert isinstance(refused, Refuse) and refused.status == HTTPStatus.METHOD_NOT_ALLOWED
        assert ("Allow", "GET, HEAD") in refused.headers
    assert rules.decide(request("/overlay", HOST, method="HEAD"), 0) == Allow("overlay")
    head_upgrade = rules.decide(request(method="HEAD"), 0)
    assert isinstance(head_upgrade, Refuse)
    assert head_upgrade.status == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.parametrize("name", ["Host", "origin", "UPGRADE", "Authorization"])
def test_a_header_that_decides_access_given_twice_is_a_bad_request(name):
    twice = ((name, "127.0.0.1:8765"), (name, "127.0.0.1:8765"))
    refused = access(token=TOKEN).decide(request("/overlay", HOST, *twice), 0)
    assert isinstance(refused, Refuse) and refused.status == HTTPStatus.BAD_REQUEST


def test_a_handshake_followed_by_more_before_its_answer_is_a_bad_request():
    rules = access()
    hasty = RequestFacts("GET", "/ws", (HOST, UPGRADE), LOCAL, overrun=True)
    refused = rules.decide(hasty, 0)
    assert isinstance(refused, Refuse) and refused.status == HTTPStatus.BAD_REQUEST
    # A page is answered (then the connection closes: one request per connection).
    page = RequestFacts("GET", "/health", (HOST,), LOCAL, overrun=True)
    assert rules.decide(page, 0) == Allow("health")


def test_requests_naming_the_server_by_a_foreign_domain_are_refused():
    rules = access()
    evil = ("Host", "evil.example:8765")
    assert status(rules.decide(request("/overlay", evil), 0)) == HTTPStatus.FORBIDDEN
    assert status(rules.decide(request("/ws", evil, UPGRADE), 0)) == HTTPStatus.FORBIDDEN
    assert rules.decide(request("/health", evil), 0) == Allow("health")  # open to all
    assert rules.decide(request("/ws", ("Host", "localhost:8765"), UPGRADE), 0) == Allow("ws")


def test_web_pages_of_other_origins_cannot_open_the_feed():
    rules = access(allow_origins=("https://captions.example",))
    for origin, allowed in [
        ("http://127.0.0.1:8765", True),  # the server's own overlay page
        ("https://captions.example", True),
        ("https://evil.example", False),
        ("null", False),
    ]:
        decision = rules.decide(request("/ws", HOST, UPGRADE, ("Origin", origin)), 0)
        assert (decision == Allow("ws")) is allowed, origin


def test_the_client_limit_turns_away_new_feed_connections_only():
    rules = access(max_clients=2)
    full = rules.decide(request(clients=2), 0)
    assert isinstance(full, Refuse) and full.status == HTTPStatus.SERVICE_UNAVAILABLE
    assert rules.decide(request("/overlay", HOST, clients=2), 0) == Allow("overlay")


def test_other_machines_need_the_token_for_everything_but_health():
    rules = access(host="0.0.0.0", token=TOKEN)
    remote_host = ("Host", "192.0.2.1:8765")
    refused = rules.decide(request("/overlay", remote_host, peer=REMOTE), 0)
    assert isinstance(refused, Refuse) and refused.status == HTTPStatus.UNAUTHORIZED
    assert "?token=" in refused.reason
    assert rules.decide(request("/health", remote_host, peer=REMOTE), 0) == Allow("health")
    assert rules.decide(request(f"/overlay?token={TOKEN}", remote_host, peer=REMOTE), 0) == (
        Allow("overlay", authorized=True)
    )
    bearer = ("Authorization", f"Bearer {TOKEN}")
    assert rules.decide(request("/ws", remote_host, UPGRADE, bearer, peer=REMOTE), 0) == (
        Allow("ws", authorized=True)
    )
    # From this machine reading needs no token.
    assert rules.decide(request("/ws", remote_host, UPGRADE), 0) == Allow("ws")


def test_wrong_tokens_from_another_machine_are_throttled_then_not_compared():
    rules = access(host="0.0.0.0", token=TOKEN)  # 10 at once, then one a second
    statuses = [
        status(rules.decide(request(f"/overlay?token=guess{i}", HOST, peer=REMOTE), 0.0))
        for i in range(12)
    ]
    assert statuses == [HTTPStatus.UNAUTHORIZED] * 10 + [HTTPStatus.TOO_MANY_REQUESTS] * 2
    right = rules.decide(request(f"/overlay?token={TOKEN}", HOST, peer=REMOTE), 0.0)
    assert isinstance(right, Refuse) and right.status == HTTPStatus.TOO_MANY_REQUESTS
    assert ("Retry-After", "1") in right.headers
    other = rules.decide(request("/overlay", HOST, peer="192.0.2.8"), 0.0)
    assert status(other) == HTTPStatus.UNAUTHORIZED  # another address is not throttled
    assert rules.decide(request(f"/overlay?token={TOKEN}", HOST, peer=REMOTE), 1.0) == (
        Allow("overlay", authorized=True)  # a try earned back
    )


@pytest.mark.parametrize("presented_by", ["query", "bearer"])
def test_wrong_handshake_tokens_from_this_machine_count_too(presented_by):
    rules = access(token=TOKEN)

    def handshake(token: str) -> RequestFacts:
        if presented_by == "query":
            return request(f"/ws?token={token}")
        return request("/ws", HOST, UPGRADE, ("Authorization", f"Bearer {token}"))

    for i in range(10):
        assert rules.decide(handshake(f"guess{i}"), 0.0) == Allow("ws")  # may read, not control
    # Throttled: still let in to read, but the right token is not even compared.
    assert rules.decide(handshake(TOKEN), 0.0) == Allow("ws")
    refused = rules.control(LOCAL, False, control(TOKEN), 0.0)
    assert refused is not None and "try again in 1 s" in refused.message
    assert rules.decide(handshake(TOKEN), 1.0) == Allow("ws", authorized=True)


def test_handshakes_and_control_messages_share_one_limit_per_address():
    rules = access(token=TOKEN)
    for i in range(5):
        rules.decide(request(f"/ws?token=guess{i}"), 0.0)
        assert rules.control(LOCAL, False, control(f"guess{i}"), 0.0) is not None
    throttled = rules.control(LOCAL, False, control(TOKEN, id=7), 0.0)
    assert throttled is not None and throttled.code == "unauthorized" and throttled.id == 7
    assert "try again" in throttled.message


def test_control_needs_the_token_unless_the_connection_presented_it():
    rules = access(token=TOKEN)
    missing = rules.control(LOCAL, False, control(None, id=3), 0.0)
    assert missing is not None and missing.code == "unauthorized" and missing.id == 3
    assert "token" in missing.message and "try again" not in missing.message
    assert rules.control(LOCAL, False, control(TOKEN), 0.0) is None
    assert rules.control(LOCAL, True, control(None), 0.0) is None  # presented when connecting
    assert access().control(LOCAL, False, control(None), 0.0) is None  # no token: open


def test_a_control_message_without_a_token_is_not_counted_as_a_guess():
    rules = access(token=TOKEN, auth_burst=1)
    for _ in range(5):
        rules.control(LOCAL, False, control(None), 0.0)
    assert rules.control(LOCAL, False, control(TOKEN), 0.0) is None
