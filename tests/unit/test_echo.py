"""Echo de-duplication: microphone text that only repeats what the speakers played."""

from __future__ import annotations

import threading

from captioner.transcript.echo import EchoFilter, covered


def test_covered_counts_runs_in_order_not_chance_characters():
    assert covered("曼萨尼约港口被关闭", "今天曼萨尼约港口被关闭了") == 1.0
    # one character misheard by the fainter microphone: still mostly the same words
    assert covered("曼萨尼约港口被关必", "曼萨尼约港口被关闭") > 0.8
    # common characters scattered in another sentence do not make an echo
    assert covered("我的是他们的", "这是我们的时代的精神") < 0.4
    assert covered("好", "你好") == 1.0 and covered("好", "你们") == 0.0
    assert covered("", "任何") == 0.0


def test_microphone_line_repeating_recent_system_audio_is_an_echo():
    echo = EchoFilter(window_s=10.0)
    echo.heard("曼萨尼约港口被关闭。", now=100.0)
    assert echo.is_echo("曼萨尼约港口被关闭", now=101.0)
    assert echo.is_echo("萨尼约港口被关闭", now=101.5)  # the start was missed: still an echo
    assert echo.dropped == 2
    # what the user says in reply is kept
    assert not echo.is_echo("我觉得这个决定不对", now=102.0)
    assert echo.dropped == 2


def test_old_system_text_is_forgotten():
    echo = EchoFilter(window_s=10.0)
    echo.heard("曼萨尼约港口被关闭", now=100.0)
    assert not echo.is_echo("曼萨尼约港口被关闭", now=111.0)  # said again, 11 s later: kept


def test_system_partial_counts_until_its_text_is_confirmed():
    """The microphone may confirm before the system audio does (the race is real: two
    recognisers); the system's current partial catches that."""
    echo = EchoFilter(window_s=10.0)
    echo.heard("假语村言别再", now=50.0, final=False)
    assert echo.is_echo("假语村言别再", now=50.5)
    echo.heard("假语村言别再拥抱我。", now=51.0)  # confirmed: the partial is cleared
    echo.heard("", now=51.0, final=False)
    assert echo.is_echo("别再拥抱我", now=51.2)


def test_without_system_audio_nothing_is_dropped():
    echo = EchoFilter()
    assert not echo.is_echo("你好世界", now=0.0)
    assert not echo.is_echo("", now=0.0)
    assert echo.dropped == 0


def test_punctuation_script_and_spaces_do_not_hide_an_echo():
    echo = EchoFilter()
    echo.heard("會議 明天 開始！", now=0.0)  # Traditional, spaces, punctuation
    assert echo.is_echo("会议明天开始", now=1.0)


def test_threads_may_report_and_ask_at_once():
    echo = EchoFilter(window_s=1e9)
    texts = [f"第{i}句话说完了" for i in range(200)]

    def system() -> None:
        for i, text in enumerate(texts):
            echo.heard(text, now=float(i))

    thread = threading.Thread(target=system)
    thread.start()
    for i in range(200):
        echo.is_echo("完全不同的内容啊", now=float(i))
    thread.join()
    assert all(echo.is_echo(text, now=300.0) for text in texts)


def test_the_system_side_is_speaking_while_its_partial_is_fresh():
    """What decides whether a microphone line waits for the system side's text."""
    echo = EchoFilter()
    assert not echo.system_speaking(10.0)
    echo.heard("假语村言", now=10.0, final=False)
    assert echo.system_speaking(11.0)
    assert not echo.system_speaking(12.0)  # no news for 2 s: it stopped
    echo.heard("假语村言别再拥抱我。", now=12.5)  # confirmed: the partial is gone
    assert not echo.system_speaking(12.6)
    # Under load partials may stop altogether: the system side's voice detection says it.
    echo.speaking(True)
    assert echo.system_speaking(20.0)
    echo.speaking(False)
    assert not echo.system_speaking(20.0)


def test_two_recognisers_hearing_the_same_words_differently_still_match():
    """The same audio, two recognisers, two contexts: 假语村言 / 夹与春颜 (seen in the tests)."""
    echo = EchoFilter()
    echo.heard("假语村言别再拥抱我。", now=0.0)
    assert echo.is_echo("夹与春颜别再拥抱我", now=1.0)
    # but a reply that shares only a word is the user's own
    assert not echo.is_echo("你说别再什么", now=1.0)


def test_the_gate_drops_echoes_holds_lines_while_the_system_speaks_and_keeps_their_order():
    from captioner.transcript.echo import EchoGate

    echo = EchoFilter(window_s=10.0)
    gate: EchoGate[str] = EchoGate(echo, hold_s=4.0)
    assert gate.admit("我觉得这个决定不对", "line 1", now=100.0)  # nobody else talking
    echo.heard("曼萨尼约", now=100.5, final=False)  # the system side is mid-utterance
    assert not gate.admit("你好吗", "line 2", now=101.0)  # held: it may be an echo
    assert not gate.admit("今天天气很好", "line 3", now=101.2)  # behind the held one
    assert gate.release(now=101.5) == []  # still speaking
    echo.heard("曼萨尼约港口被关闭", now=102.0)  # confirmed: it stopped
    assert gate.release(now=104.0) == ["line 2", "line 3"]  # in order
    assert not gate.admit("曼萨尼约港口被关闭", "line 4", now=104.5)  # an echo
    assert gate.dropped == ["曼萨尼约港口被关闭"]


def test_a_held_line_is_let_go_after_its_longest_wait_or_at_the_end():
    from captioner.transcript.echo import EchoGate

    echo = EchoFilter(window_s=10.0)
    gate: EchoGate[str] = EchoGate(echo, hold_s=4.0)
    echo.speaking(True)  # the system side's voice detection: mid-utterance, no partial
    assert not gate.admit("你好吗", "a", now=10.0)
    assert gate.release(now=13.0) == []
    assert gate.release(now=14.5) == ["a"]  # waited its 4 s
    assert not gate.admit("再见", "b", now=15.0)
    assert gate.release(now=15.1, final=True) == ["b"]  # the session ends: all of them
