"""Library code does not own the terminal: bars only when the CLI turns them on, never nested."""

from __future__ import annotations

from medvlm_graph import log


def test_library_progress_draws_nothing_until_the_cli_configures_bars(capsys, monkeypatch):
    monkeypatch.setitem(log._state, "bars", False)
    with log.progress("library work", 2) as advance:
        advance()
        advance()
    assert capsys.readouterr().err == ""


def test_bars_never_nest(monkeypatch):
    monkeypatch.setitem(log._state, "bars", True)
    monkeypatch.setitem(log._state, "quiet", False)
    calls = []
    with log.progress("outer", 1) as outer:
        assert log._state["active"] is True
        with log.progress("inner", 3) as inner:  # would crash rich (two live displays) if drawn
            inner()
            calls.append("inner")
        outer()
    assert calls == ["inner"] and log._state["active"] is False
