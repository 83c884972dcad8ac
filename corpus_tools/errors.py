"""The errors corpus-tools raises, with the exit code each maps to.

The library raises these; the CLI prints the error as one line and exits with ``error.exit_code``.
Data failures exit 1; unusable input, usage and operating-system errors exit 2 (3 is left for bugs).

Messages are worded in the library's terms. Where one names an option of the call, it writes the
Python parameter as ``{name}`` and lists it in ``options``: ``str(error)`` reads it as ``name`` (what a
Python caller passed), the CLI as ``--name`` (what a user typed).

>>> error = UsageError("{max_rejects} -1: must be 0 or more", options=["max_rejects"])
>>> str(error), error.worded(flag)
('max_rejects -1: must be 0 or more', '--max-rejects -1: must be 0 or more')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def flag(option: str) -> str:
    """The command-line flag of a parameter: ``max_rejects`` -> ``--max-rejects``."""
    return "--" + option.replace("_", "-")


class CorpusToolsError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 2

    def __init__(self, message: str, *, options: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.options = tuple(options)

    def worded(self, spell: Callable[[str], str] | None = None) -> str:
        """The message, each option named by ``spell(option)`` (default: the parameter's own name)."""
        text = self.args[0]
        for option in self.options:
            text = text.replace("{" + option + "}", spell(option) if spell else option)
        return text

    def __str__(self) -> str:
        return self.worded()

    def __reduce__(self):  # keep ``options`` when a worker process sends the error back
        return _rebuild, (type(self), self.args[0], self.options)


def _rebuild(kind: type[CorpusToolsError], message: str, options: tuple[str, ...]) -> CorpusToolsError:
    return kind(message, options=options)


def option_error(option: str, value: object, problem: str) -> UsageError:
    """A UsageError about one option's value: '{option} VALUE: problem'.

    >>> option_error("workers", 0, "must be 1 or more").worded(flag)
    '--workers 0: must be 1 or more'
    """
    return UsageError(f"{{{option}}} {value}: {problem}", options=[option])


class InputError(CorpusToolsError):
    """An input cannot be used: missing, a directory, empty, binary, undecodable or of another format."""

    exit_code = 2


class UsageError(CorpusToolsError):
    """The command was called wrongly (conflicting or missing options, a bad config file)."""

    exit_code = 2


class DataError(CorpusToolsError):
    """The data was read but fails a check: the build refuses to publish it."""

    exit_code = 1
