"""The server's limits as pure logic: pending handshakes, the descriptor budget, the token
throttle, log intervals."""

from __future__ import annotations

from captioner.server.limits import AuthThrottle, DescriptorBudget, Every, PendingHandshakes


def test_pending_handshakes_cut_the_oldest_of_the_address_past_the_grace_time():
    pending: PendingHandshakes[str] = PendingHandshakes(10, 2, grace_s=1.0)
    assert pending.add("a1", "A", 0.0) == [] and pending.add("a2", "A", 0.5) == []
    # Over the address's cap, but nobody has waited 1 s yet: a burst of real clients.
    assert pending.add("a3", "A", 0.9) == []
    assert pending.add("b1", "B", 0.9) == []  # other addresses are not affected
    # Later, both old ones of A go (the cap is 2 including the newcomer's place).
    assert pending.add("a4", "A", 2.0) == ["a1", "a2"]
    assert "a3" in pending and "b1" in pending and len(pending) == 3


def test_pending_handshakes_respect_the_total_cap_and_forget_finished_ones():
    pending: PendingHandshakes[int] = PendingHandshakes(3, 3, grace_s=0.0)
    for i, address in enumerate("ABC"):
        pending.add(i, address, float(i))
    pending.remove(1)
    pending.remove(99)  # unknown: ignored
    assert pending.add(3, "D", 5.0) == []
    assert pending.add(4, "E", 6.0) == [0]
    assert pending.oldest(6.0) == 2


def test_the_first_pending_handshake_is_the_oldest_however_young():
    pending: PendingHandshakes[str] = PendingHandshakes(10, 10, grace_s=1.0)
    assert pending.first() is None
    pending.add("a", "A", 0.0)
    pending.add("b", "B", 0.1)
    assert pending.first() == "a" and pending.oldest(0.5) is None  # within the grace time
    pending.remove("a")
    assert pending.first() == "b"


def test_the_descriptor_budget_keeps_the_reserve_and_room_for_what_is_being_accepted():
    budget = DescriptorBudget(limit=1024, reserve=64, in_flight=64, base=20)
    assert not budget.short(connections=876, newest=100)  # 1024 - 20 - 876 - 64: 64 left
    assert budget.short(connections=877, newest=100)
    # Closed connections leave gaps below the newest number: counting says more than it.
    assert budget.in_use(connections=900, newest=40) == 920
    # The app opened files since: the newest number says more than the count.
    assert budget.in_use(connections=10, newest=899) == 900 and budget.short(10, 899)
    assert not DescriptorBudget(limit=0, reserve=64, in_flight=64, base=20).short(10**6, 10**6)


def test_auth_throttle_allows_a_burst_then_one_try_per_interval_per_address():
    throttle = AuthThrottle(burst=3, refill_s=2.0)
    for _ in range(3):
        assert throttle.wait_s("A", 0.0) == 0
        throttle.failed("A", 0.0)
    assert throttle.wait_s("A", 0.0) == 2.0
    assert throttle.wait_s("B", 0.0) == 0  # per address
    assert throttle.wait_s("A", 1.0) == 1.0
    assert throttle.wait_s("A", 2.0) == 0  # one try earned
    throttle.failed("A", 2.0)
    assert throttle.wait_s("A", 2.5) == 1.5


def test_auth_throttle_remembers_a_bounded_number_of_addresses():
    throttle = AuthThrottle(burst=1, refill_s=100.0, max_addresses=2)
    for address in ("A", "B", "C"):
        throttle.failed(address, 0.0)
    assert throttle.wait_s("A", 0.0) == 0  # forgotten, least recently failed
    assert throttle.wait_s("C", 0.0) > 0


def test_every_says_yes_once_per_interval_and_counts_the_rest():
    every = Every(10.0)
    assert [every(t) for t in (0.0, 1.0, 9.0, 10.0, 11.0)] == [True, False, False, True, False]
    assert every.take_suppressed() == 3 and every.take_suppressed() == 0
