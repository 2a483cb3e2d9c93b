"""Starting the app twice on the same settings: the second launch brings the first forward."""

from __future__ import annotations

import time

import pytest

from captioner.app.single_instance import instance_key, lock_path

pytestmark = [pytest.mark.model, pytest.mark.mic, pytest.mark.gui]


def test_a_second_launch_brings_the_running_app_forward_and_ends(start_app, x_desktop):
    # The first app runs with its captions hidden (as after tray -> Hide captions).
    first = start_app({"overlay": {"visible": False}}, wait=False)
    lock = lock_path(instance_key(first.home / "settings.json"))
    deadline = time.monotonic() + 60
    while not lock.exists() and first.process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert lock.exists() and first.process.poll() is None
    assert not x_desktop.find_windows("^Captioner ·")

    second = start_app(home=first.home, wait=False)
    _, err = second.process.communicate(timeout=60)
    assert second.process.returncode == 0, err
    assert "already running" in err

    # The first one shows its captions; there is one overlay, and the first still runs.
    first.wait_title(lambda t: bool(t), timeout=15)
    assert len(x_desktop.find_windows("^Captioner ·")) == 1
    assert first.process.poll() is None


def test_after_the_running_app_was_killed_a_new_launch_starts(start_app, x_desktop):
    first = start_app()
    first.process.kill()  # kill -9: no clean-up, the lock file stays behind
    first.process.communicate()
    again = start_app(home=first.home)  # waits until its overlay is up
    assert again.process.poll() is None
