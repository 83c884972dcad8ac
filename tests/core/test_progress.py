import io
import sys

from corpus_tools.core import progress as progress_module
from corpus_tools.core.progress import progress


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_silent_when_not_a_terminal(monkeypatch, capsys):
    with progress("Working", total=3) as advance:
        advance(3)
    assert capsys.readouterr().err == ""


def test_silent_in_ci_even_on_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    monkeypatch.setenv("CI", "true")
    assert not progress_module.enabled()


def test_drawn_on_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert progress_module.enabled()
    with progress("Working", total=2) as advance:
        advance(2)
