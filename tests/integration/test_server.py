"""The transcript server with real `websockets` clients over real sockets (no model needed).

The server runs on the test's asyncio loop; the pipeline is replaced by direct ``publish_*``
calls (the real pipeline feeds it in tests/integration/test_server_pipeline.py).
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from importlib import resources

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from captioner.errors import CaptionerError
from captioner.server import PipelineState, ServerConfig, ServerConfigError, TranscriptServer
from captioner.server.server import CLOSE_TOO_SLOW
from tests.support.server import (
    DOCS,
    LISTENING,
    RecordingController,
    ServerThread,
    final,
    kernel_send_buffer_max,
    non_loopback_address,
    partial,
    raw_http,
    recv_json,
    recv_type,
    server_message_validator,
    serving,
    stuck_socket,
    websocket_request,
)


def run(coroutine, timeout: float = 120):
    return asyncio.run(asyncio.wait_for(coroutine, timeout))


def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


async def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    return await asyncio.to_thread(http_get, url, headers)


def test_hello_replays_the_last_confirmed_segments_and_the_current_partial():
    async def scenario():
        async with serving(history=2) as server:
            for i, text in enumerate(["假语村言", "别再拥抱我", "曼萨尼约港口", "被关闭"]):
                server.publish_final(final(text, i, i + 1))
            server.publish_partial(partial("有关能否", 4, 5))
            async with connect(server.ws_url) as ws:
                hello = await recv_json(ws)
        assert hello["type"] == "hello" and hello["protocol"] == 1
        assert hello["version"] and len(hello["session"]) == 32
        assert hello["language"] == "zh" and hello["state"]["state"] == "listening"
        assert [(s["id"], s["text"]) for s in hello["segments"]] == [
            (3, "曼萨尼约港口"),
            (4, "被关闭"),
        ]
        assert hello["partial"] == {"seq": 1, "text": "有关能否", "start": 4.0, "end": 5.0}
        assert hello["control"] == "open"
        assert abs(hello["server_time"] - time.time()) < 5
        server_message_validator().validate(hello)

    run(scenario())


def test_partials_and_finals_arrive_in_publishing_order_with_ids_and_seq():
    published = [
        ("partial", "假语"),
        ("partial", "假语村言"),
        ("final", "假语村言"),
        ("partial", ""),
        ("partial", "别再"),
        ("partial", "别再拥抱"),
        ("final", "别再拥抱我"),
        ("partial", ""),
        ("final", "曼萨尼约港口被关闭"),
    ]

    async def scenario():
        async with serving() as server, connect(server.ws_url) as ws:
            await recv_type(ws, "hello")
            for kind, text in published:
                (server.publish_final if kind == "final" else server.publish_partial)(
                    final(text) if kind == "final" else partial(text)
                )
                await asyncio.sleep(0.01)
            received = []
            while len([m for m in received if m["type"] == "final"]) < 3:
                received.append(await recv_json(ws))
        return received

    received = run(scenario())
    # Every final arrives, with ids 1, 2, 3 ...
    finals = [m for m in received if m["type"] == "final"]
    assert [(m["id"], m["text"]) for m in finals] == [
        (1, "假语村言"),
        (2, "别再拥抱我"),
        (3, "曼萨尼约港口被关闭"),
    ]
    # ... partials carry a rising seq, and nothing arrives out of order (partials may only be
    # skipped, never moved): what was received is a subsequence of what was published.
    seqs = [m["seq"] for m in received if m["type"] == "partial"]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    got = [(m["type"], m["text"]) for m in received]
    position = 0
    for entry in got:
        position = published.index(entry, position) + 1
    assert got[-1] == ("final", "曼萨尼约港口被关闭")


def test_state_messages_follow_the_shared_status_rule():
    # StatusReport: what a state shows goes out at once; a lag move of 0.25 s or more, at
    # most once per state_interval_s (an hour here, so only the first one goes).
    published = [
        replace(LISTENING, lag_s=0.1),  # too small a move
        replace(LISTENING, lag_s=0.5),  # the first move worth sending
        replace(LISTENING, lag_s=1.5),  # within the interval
        replace(LISTENING, lag_s=1.5, dropped_s=2.0),  # audio was lost: shown at once
        replace(LISTENING, state="idle", lag_s=1.6, dropped_s=2.0),
    ]

    async def scenario():
        async with serving(state_interval_s=3600) as server, connect(server.ws_url) as ws:
            await recv_type(ws, "hello")
            for state in published:
                server.publish_state(state)
                await asyncio.sleep(0.05)  # sent before the next (waiting states coalesce)
            server.publish_final(final("完"))
            received = []
            while (message := await recv_json(ws))["type"] != "final":
                received.append(message)
        return received, server.state

    received, last = run(scenario())
    assert [(m["state"], m["lag_s"], m["dropped_s"]) for m in received] == [
        ("listening", 0.5, 0.0),
        ("listening", 1.5, 2.0),
        ("idle", 1.6, 2.0),
    ]
    assert last == published[-1]


def test_every_kind_of_server_message_matches_the_published_schema():
    validator = server_message_validator()

    async def scenario():
        controller = RecordingController()
        async with (
            serving(controller, token="correct-horse") as server,
            connect(server.ws_url) as ws,
        ):
            seen = [await recv_json(ws)]
            server.publish_partial(partial("曼萨"))
            server.publish_final(final("曼萨尼约港口被关闭", 3.58, 5.9))
            server.publish_state(PipelineState("idle", "whisper", "base", None, 1.0, 0.0))
            server.publish_error("The microphone was disconnected.")
            await ws.send(json.dumps({"type": "ping", "id": "p1"}))
            await ws.send(json.dumps({"type": "control", "action": "stop", "id": 1}))
            await ws.send(
                json.dumps({"type": "control", "action": "reset", "token": "correct-horse"})
            )
            await ws.send("{")
            kinds = {"hello", "partial", "final", "state", "error", "pong", "ack", "clear"}
            while {m["type"] for m in seen} != kinds:
                seen.append(await recv_json(ws))
        return seen

    for message in run(scenario()):
        validator.validate(message)


def test_control_messages_drive_the_controller_and_every_client_sees_reset():
    async def scenario():
        controller = RecordingController()
        async with serving(controller) as server:
            async with connect(server.ws_url) as ws, connect(server.ws_url) as other:
                await recv_type(ws, "hello")
                await recv_type(other, "hello")
                server.publish_final(final("假语村言"))
                answers = []
                for i, action in enumerate(["stop", "start", "toggle", "toggle", "reset"]):
                    await ws.send(json.dumps({"type": "control", "action": action, "id": i}))
                    answers.append(await recv_type(ws, "ack"))
                    if action == "stop":
                        assert controller.listening is False
                    if action == "start":
                        assert controller.listening is True
                assert await recv_type(other, "clear") == {"type": "clear"}
            # After a reset, a new client gets no replay of the cleared transcript.
            async with connect(server.ws_url) as late:
                hello = await recv_type(late, "hello")
        return controller, answers, hello

    controller, answers, hello = run(scenario())
    assert controller.calls == ["stop", "start", "toggle", "toggle", "reset"]
    assert controller.listening is True
    assert [(a["action"], a["id"]) for a in answers] == [
        ("stop", 0),
        ("start", 1),
        ("toggle", 2),
        ("toggle", 3),
        ("reset", 4),
    ]
    assert hello["segments"] == [] and hello["partial"] is None


def test_control_without_a_controller_is_an_error_not_a_crash():
    async def scenario():
        async with serving() as server, connect(server.ws_url) as ws:
            await recv_type(ws, "hello")
            await ws.send(json.dumps({"type": "control", "action": "stop", "id": 9}))
            error = await recv_type(ws, "error")
            await ws.send(json.dumps({"type": "ping"}))
            return error, await recv_type(ws, "pong")

    error, pong = run(scenario())
    assert error["code"] == "unavailable" and error["id"] == 9
    assert pong["type"] == "pong"


def test_a_failing_control_action_answers_with_the_request_id():
    class BrokenController:
        def stop_listening(self) -> None:
            raise RuntimeError("the hotkey hook is gone")

    async def scenario():
        async with serving(BrokenController()) as server, connect(server.ws_url) as ws:
            await recv_type(ws, "hello")
            await ws.send(json.dumps({"type": "control", "action": "stop", "id": "req-7"}))
            return await recv_type(ws, "error")

    error = run(scenario())
    assert error["code"] == "unavailable" and "stop failed" in error["message"]
    assert error["id"] == "req-7"  # like every other error answering a request


def test_control_needs_the_token_when_one_is_set():
    async def scenario():
        controller = RecordingController()
        async with serving(controller, token="correct-horse") as server:
            async with connect(server.ws_url) as ws:
                hello = await recv_type(ws, "hello")
                for token in (None, "wrong-horse", "correct-hors"):
                    message = {"type": "control", "action": "stop", "id": str(token)}
                    if token:
                        message["token"] = token
                    await ws.send(json.dumps(message))
                    error = await recv_type(ws, "error")
                    assert error["code"] == "unauthorized" and error["id"] == str(token)
                assert controller.calls == []
                # the connection stays up, and the right token works
                await ws.send(
                    json.dumps({"type": "control", "action": "stop", "token": "correct-horse"})
                )
                assert (await recv_type(ws, "ack"))["action"] == "stop"
            # A connection that presented the token may control without repeating it.
            for url, headers in (
                (server.ws_url + "?token=correct-horse", None),
                (server.ws_url, {"Authorization": "Bearer correct-horse"}),
            ):
                async with connect(url, additional_headers=headers) as ws:
                    await recv_type(ws, "hello")
                    await ws.send(json.dumps({"type": "control", "action": "toggle"}))
                    assert (await recv_type(ws, "ack"))["action"] == "toggle"
        return hello, controller

    hello, controller = run(scenario())
    assert hello["control"] == "token"
    assert controller.calls == ["stop", "toggle", "toggle"]


def test_web_pages_from_other_origins_cannot_open_the_feed():
    async def scenario():
        async with serving(allow_origins=("https://captions.example",)) as server:
            own = f"http://127.0.0.1:{server.port}"
            accepted = []
            for origin in (None, own, "https://captions.example"):
                async with connect(server.ws_url, origin=origin) as ws:
                    accepted.append((await recv_json(ws))["type"])
            refused = []
            for origin in (
                "https://evil.example",
                "http://127.0.0.1:3000",  # another local web app
                "null",  # a local HTML file
                f"http://localhost:{server.port}.evil.example",
            ):
                with pytest.raises(InvalidStatus) as caught:
                    async with connect(server.ws_url, origin=origin):
                        pass
                refused.append(caught.value.response.status_code)
            return accepted, refused, server.stats()["rejected_connections"]

    accepted, refused, rejected = run(scenario())
    assert accepted == ["hello"] * 3
    assert refused == [403] * 4 and rejected == 4


def test_dns_rebinding_requests_are_refused():
    async def scenario():
        async with serving() as server:
            port = server.port
            evil = f"evil.example:{port}"
            head = await asyncio.to_thread(
                raw_http, port, f"GET /overlay HTTP/1.1\r\nHost: {evil}\r\n\r\n"
            )
            ws_head = await asyncio.to_thread(
                raw_http, port, websocket_request(port, evil, f"http://{evil}")
            )
            ok_head = await asyncio.to_thread(
                raw_http, port, f"GET /stats HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
            )
            ws_ok = await asyncio.to_thread(
                raw_http,
                port,
                websocket_request(port, f"localhost:{port}", f"http://localhost:{port}"),
            )
        return head, ws_head, ok_head, ws_ok

    head, ws_head, ok_head, ws_ok = run(scenario())
    assert head.startswith("HTTP/1.1 403") and ws_head.startswith("HTTP/1.1 403")
    assert ok_head.startswith("HTTP/1.1 200") and ws_ok.startswith("HTTP/1.1 101")


def test_other_machines_need_the_token_to_read():
    address = non_loopback_address()
    if address is None:
        pytest.skip(
            "no network interface besides loopback, so no connection can come from another "
            "address; the peer check itself is unit-tested (test_loopback_checks)"
        )

    async def scenario():
        async with serving(host="0.0.0.0", token="correct-horse") as server:
            remote_ws = f"ws://{address}:{server.port}/ws"
            with pytest.raises(InvalidStatus) as caught:
                async with connect(remote_ws):
                    pass
            async with connect(remote_ws + "?token=correct-horse") as ws:
                remote_hello = await recv_json(ws)
            overlay = await fetch(f"http://{address}:{server.port}/overlay")
            overlay_with_token = await fetch(
                f"http://{address}:{server.port}/overlay?token=correct-horse"
            )
            health = await fetch(f"http://{address}:{server.port}/health")
            # From this machine, reading needs no token (control does).
            async with connect(f"ws://127.0.0.1:{server.port}/ws") as ws:
                local_hello = await recv_json(ws)
            return (
                caught.value.response,
                remote_hello,
                overlay,
                overlay_with_token,
                health,
                (local_hello),
            )

    refused, remote_hello, overlay, overlay_with_token, health, local_hello = run(scenario())
    assert refused.status_code == 401 and b"token" in refused.body
    assert remote_hello["type"] == "hello" and local_hello["type"] == "hello"
    assert overlay[0] == 401 and overlay_with_token[0] == 200 and health[0] == 200


def test_binding_elsewhere_without_a_token_is_refused_clearly():
    with pytest.raises(ServerConfigError, match="--token"):
        TranscriptServer(ServerConfig(host="0.0.0.0", port=0))


def test_a_port_in_use_is_a_clear_error():
    async def scenario():
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            server = TranscriptServer(ServerConfig(port=taken.getsockname()[1]))
            with pytest.raises(CaptionerError, match="already in use") as caught:
                await server.start()
            return str(caught.value)

    assert "--serve" in run(scenario())


def test_malformed_and_unknown_messages_get_errors_and_the_connection_stays_up():
    async def scenario():
        async with serving() as server, connect(server.ws_url) as ws:
            await recv_type(ws, "hello")
            errors = []
            for frame in (
                "not json",
                "[1, 2]",
                '{"type": "dance", "id": 4}',
                '{"type": "control", "action": "fly", "id": "x"}',
                b"\x00\x01binary",
            ):
                await ws.send(frame)
                errors.append(await recv_type(ws, "error"))
            await ws.send(json.dumps({"type": "ping", "id": 5}))
            pong = await recv_type(ws, "pong")
            server.publish_final(final("还在"))
            still = await recv_type(ws, "final")
            return errors, pong, still

    errors, pong, still = run(scenario())
    assert [(e["code"], e.get("id")) for e in errors] == [
        ("bad_json", None),
        ("bad_message", None),
        ("unknown_type", 4),
        ("bad_message", "x"),
        ("bad_message", None),
    ]
    assert pong["id"] == 5 and still["text"] == "还在"


def test_an_oversized_message_closes_only_that_connection_with_1009():
    async def scenario():
        async with serving(max_message_bytes=4096) as server:
            async with connect(server.ws_url) as big, connect(server.ws_url) as other:
                await recv_type(big, "hello")
                await recv_type(other, "hello")
                await big.send(json.dumps({"type": "ping", "id": "x" * 5000}))
                with pytest.raises(ConnectionClosed) as caught:
                    while True:
                        await recv_json(big)
                server.publish_final(final("别人不受影响"))
                other_final = await recv_type(other, "final")
            async with connect(server.ws_url) as again:
                hello = await recv_type(again, "hello")
        return caught.value.rcvd.code, other_final, hello

    code, other_final, hello = run(scenario())
    assert code == 1009
    assert other_final["text"] == "别人不受影响"
    assert [s["text"] for s in hello["segments"]] == ["别人不受影响"]


def test_too_many_clients_are_turned_away():
    async def scenario():
        async with serving(max_clients=2) as server:
            async with connect(server.ws_url) as a, connect(server.ws_url) as b:
                await recv_json(a)
                await recv_json(b)
                with pytest.raises(InvalidStatus) as caught:
                    async with connect(server.ws_url):
                        pass
            async with connect(server.ws_url) as c:  # room again
                hello = await recv_json(c)
        return caught.value.response.status_code, hello

    status, hello = run(scenario())
    assert status == 503 and hello["type"] == "hello"


def test_silent_connections_time_out():
    async def scenario():
        async with serving(handshake_timeout_s=0.5, idle_timeout_s=1.0) as server:
            port = server.port

            def never_handshake() -> float:
                with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                    start = time.monotonic()
                    while s.recv(4096):
                        pass
                    return time.monotonic() - start

            def never_answer_pings() -> tuple[bytes, float]:
                with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                    s.sendall(websocket_request(port, f"127.0.0.1:{port}", None).encode())
                    start, data = time.monotonic(), b""
                    while chunk := s.recv(65536):  # read, but never answer a ping
                        data += chunk
                    return data, time.monotonic() - start

            handshake_s = await asyncio.to_thread(never_handshake)
            data, idle_s = await asyncio.to_thread(never_answer_pings)
        return handshake_s, data, idle_s

    handshake_s, data, idle_s = run(scenario())
    assert handshake_s < 5
    assert data.startswith(b"HTTP/1.1 101") and b'"type":"hello"' in data
    assert idle_s < 5  # ping after 0.5 s, no pong within 0.5 s: closed


def test_http_pages_share_the_port():
    async def scenario():
        async with serving() as server:
            server.publish_final(final("一"))
            async with connect(server.ws_url) as ws:
                await recv_json(ws)
                pages = {
                    path: await fetch(server.base_url + path)
                    for path in ("/overlay", "/overlay?size=60&color=ffcc00", "/health", "/stats")
                }
            missing = await fetch(server.base_url + "/nothing")
            index = await fetch(server.base_url + "/")
        return pages, missing, index

    pages, missing, index = run(scenario())
    status, headers, body = pages["/overlay"]
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == resources.files("captioner.server").joinpath("overlay.html").read_bytes()
    assert "connect-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"
    assert pages["/overlay?size=60&color=ffcc00"][2] == body
    assert json.loads(pages["/health"][2]) == {"status": "ok", "protocol": 1}
    stats = json.loads(pages["/stats"][2])
    assert stats["clients"] == 1 and stats["segments"] == 1 and stats["state"] == "listening"
    for key in ("uptime_s", "lag_s", "max_lag_s", "dropped_audio_s", "dropped_clients"):
        assert key in stats
    assert missing[0] == 404
    assert index[0] == 200 and b"/overlay" in index[2]


def test_publishing_from_another_thread_is_handed_to_the_servers_loop():
    async def scenario():
        async with serving() as server, connect(server.ws_url) as ws:
            await recv_type(ws, "hello")
            thread = threading.Thread(target=server.publish_final, args=(final("来自别的线程"),))
            thread.start()
            thread.join()
            return await recv_type(ws, "final")

    assert run(scenario())["text"] == "来自别的线程"


def test_a_stuck_client_is_dropped_with_4001_and_never_delays_the_others():
    # 21 kB per final, and more of them than the kernel's socket buffers can hold (they grow
    # up to tcp_wmem's maximum), so the server's own queue for the stuck client must grow.
    text = "慢" * 7000
    count = max(300, int(1.5 * kernel_send_buffer_max() / len(text.encode())))

    async def scenario():
        async with serving(client_queue=16, close_timeout_s=10) as server:
            port = server.port
            stuck = await connect(server.ws_url, sock=stuck_socket(port), max_queue=1)
            readers = [await connect(server.ws_url) for _ in range(3)]
            for ws in readers:
                await recv_type(ws, "hello")

            async def read_all(ws):
                return [(await recv_type(ws, "final"))["id"] for _ in range(count)]

            reading = [asyncio.ensure_future(read_all(ws)) for ws in readers]
            for i in range(count):
                server.publish_final(final(text + str(i)))
                server.publish_partial(partial(str(i)))
                await asyncio.sleep(0.002)  # give the loop a turn, as the Qt loop would
            received = await asyncio.gather(*reading)
            # The stuck client has read nothing yet, so it cannot have held anyone up.
            stats = server.stats()
            # Now it reads what reached it: the messages it was sent, then the close code.
            with pytest.raises(ConnectionClosed) as caught:
                while True:
                    await asyncio.wait_for(stuck.recv(), 20)
            for ws in readers:
                await ws.close()
        return received, stats, caught.value

    received, stats, closed = run(scenario())
    assert all(ids == list(range(1, count + 1)) for ids in received)
    assert stats["dropped_clients"] == 1 and stats["clients"] == 3
    assert closed.rcvd is not None and closed.rcvd.code == CLOSE_TOO_SLOW
    assert "too slow" in closed.rcvd.reason


def test_two_hundred_clients_receive_every_final():
    clients, finals = 200, 20

    async def scenario():
        async with serving() as server:
            connections = await asyncio.gather(*(connect(server.ws_url) for _ in range(clients)))
            for ws in connections:
                await recv_type(ws, "hello")
            assert server.client_count == clients

            async def collect(ws):
                got = []
                while len(got) < finals:
                    message = await recv_json(ws, 30)
                    if message["type"] == "final":
                        got.append((message["id"], message["text"]))
                return got

            collecting = [asyncio.ensure_future(collect(ws)) for ws in connections]
            for i in range(finals):
                server.publish_partial(partial(f"第{i}"))
                server.publish_final(final(f"第{i}句"))
                await asyncio.sleep(0.01)
            results = await asyncio.gather(*collecting)
            await asyncio.gather(*(ws.close() for ws in connections))
            return results, server.stats()

    results, stats = run(scenario())
    expected = [(i + 1, f"第{i}句") for i in range(finals)]
    assert all(got == expected for got in results)
    assert stats["dropped_clients"] == 0


def test_the_documented_python_examples_work(tmp_path):
    document = (DOCS / "protocol.md").read_text(encoding="utf-8")
    reader, toggler = re.findall(r"```python\n(.*?)```", document, flags=re.DOTALL)
    controller = RecordingController()
    running = ServerThread(controller)
    try:
        port = str(running.server.port)
        scripts = {}
        for name, code in (("reader.py", reader), ("toggle.py", toggler)):
            scripts[name] = tmp_path / name
            scripts[name].write_text(code.replace("8765", port), encoding="utf-8")
        toggled = subprocess.run(
            [sys.executable, str(scripts["toggle.py"])], capture_output=True, text=True, timeout=60
        )
        reading = subprocess.Popen(
            [sys.executable, str(scripts["reader.py"])], stdout=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + 30
        while running.server.client_count < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        running.server.publish_final(final("曼萨尼约港口被关闭"))
        running.server.publish_final(final("有关能否改控串谋"))
        time.sleep(0.5)
    finally:
        running.close()  # closes the reader's connection, which ends its loop
    printed, _ = reading.communicate(timeout=30)
    assert toggled.returncode == 0, toggled.stderr
    assert "'type': 'ack'" in toggled.stdout and "'action': 'toggle'" in toggled.stdout
    assert controller.calls == ["toggle"]
    assert printed.splitlines() == ["曼萨尼约港口被关闭", "有关能否改控串谋"]


def built_pipeline(mode=None):
    """A live pipeline whose channel is made but not started: its worker's signals are
    emitted here, as the worker's thread would."""
    from captioner.control.channels import SourceChoice, channels_for
    from captioner.control.listening import ListeningMode
    from captioner.control.pipeline import LivePipeline

    pipeline = LivePipeline(
        channels_for(SourceChoice()), lambda: (None, None), mode or ListeningMode.HOLD
    )
    pipeline.build()
    return pipeline, pipeline.channels[0].worker


def test_the_pipeline_feed_publishes_what_the_pipeline_emits(qapp):
    from captioner.asr.session import SessionStatus
    from captioner.asr.types import ModelInfo
    from captioner.server.bridge import PipelineFeed

    async def scenario():
        # Lag-only changes go out at once: each emission here gives one message.
        async with serving(state_interval_s=0.0) as server:
            pipeline, worker = built_pipeline()
            _feed = PipelineFeed(server, pipeline)  # kept: a collected feed publishes nothing
            async with connect(server.ws_url) as ws:
                got = [await recv_type(ws, "hello")]
                # One at a time: states still waiting to be sent are coalesced.
                for emit in (
                    lambda: worker.loaded.emit(ModelInfo("whisper", "small", "cpu", "zh")),
                    lambda: worker.ready.emit(""),
                    lambda: worker.partial.emit(partial("曼萨尼约")),
                    lambda: worker.confirmed.emit(final("曼萨尼约港口被关闭")),
                    lambda: worker.status.emit(SessionStatus(False, True, 0.5, 0.2, 0, 3.0)),
                    lambda: worker.source_failed.emit("The microphone was unplugged."),
                    lambda: worker.finished.emit(),
                ):
                    emit()
                    got.append(await recv_json(ws))
            pipeline.shutdown()
        return got

    hello, *got = run(scenario())
    assert hello["state"]["state"] == "starting"
    assert [m["type"] for m in got] == [
        "state", "state", "partial", "final", "state", "error", "state",
    ]  # fmt: skip
    assert got[0]["state"] == "starting" and got[0]["model"] == "small"
    assert got[1]["state"] == "idle"  # loaded; push-to-talk not held
    assert got[4]["state"] == "idle" and got[4]["dropped_s"] == 0.2
    assert got[5]["type"] == "error" and got[5]["code"] == "pipeline"
    assert got[5]["message"].startswith("The microphone was unplugged.")
    assert got[6]["state"] == "stopped" and got[6]["model"] == "small"


def test_the_pipeline_feed_publishes_a_translation_naming_its_final(qapp):
    # The pipeline numbers its finals for its whole life; the feed's ids restart with the
    # server: a translation names the feed's id of the final it translates.
    from captioner.server.bridge import PipelineFeed
    from captioner.transcript.events import TranscriptEvent

    async def scenario():
        async with serving() as server:
            pipeline, worker = built_pipeline()
            _feed = PipelineFeed(server, pipeline)  # kept: a collected feed publishes nothing
            async with connect(server.ws_url) as ws:
                await recv_type(ws, "hello")
                worker.confirmed.emit(replace(final("曼萨尼约港口被关闭", 3.0, 5.0), final=7))
                got = [await recv_type(ws, "final")]
                pipeline.translated.emit(
                    TranscriptEvent(
                        6.0, "translation", "The port was closed.", 3.0, 5.0, lang="en", final=7
                    )
                )
                got.append(await recv_type(ws, "translation"))
            pipeline.shutdown()
        return got

    final_message, translation = run(scenario())
    assert translation == {
        "type": "translation",
        "id": final_message["id"],
        "text": "The port was closed.",
        "lang": "en",
    }


def test_a_closed_pipeline_feed_publishes_nothing_more(qapp):
    # The app replaces its feed when the server settings change; the old one must let go of
    # the pipeline (which lives on), or every restart adds a publisher.
    from captioner.server.bridge import PipelineFeed

    async def scenario():
        async with serving() as server:
            pipeline, worker = built_pipeline()
            feed = PipelineFeed(server, pipeline)
            worker.partial.emit(partial("曼萨尼约"))
            before = server.stats()["partials"]
            feed.close()
            worker.partial.emit(partial("曼萨尼约港口"))
            worker.confirmed.emit(final("曼萨尼约港口被关闭"))
            pipeline.shutdown()
            return before, server.stats()

    before, stats = run(scenario())
    assert before == 1
    assert stats["partials"] == 1 and stats["segments"] == 0
