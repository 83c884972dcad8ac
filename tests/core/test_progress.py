import io
import sys

from corpus_tools.core import progress as progress_module
from corpus_tools.core.processes import SPAWN, process_pool
from corpus_tools.core.progress import count, progress, shared_progress, stage


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


def test_a_stage_is_silent_when_not_a_terminal(capsys):
    with stage("Checking tables"):
        pass
    assert capsys.readouterr().err == ""


def test_workers_and_the_parent_move_a_shared_bar():
    with shared_progress("Converting", total=10, unit="bytes", context=SPAWN) as tally, \
            process_pool(2, tally=tally) as pool:
        list(pool.map(count, [3, 4]))  # in the workers
        count(2)  # and here
        assert tally.value == 9
    count(5)  # no bar: nothing to move
    assert tally.value == 9
