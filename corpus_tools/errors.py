"""The errors corpus-tools raises, with the exit code each maps to.

The library raises these; the CLI prints ``str(error)`` as one line and exits with
``error.exit_code``. Data failures exit 1; unusable input or usage exit 2.
"""


class CorpusToolsError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 2


class InputError(CorpusToolsError):
    """An input cannot be used: missing, a directory, empty, binary, undecodable or of another format."""

    exit_code = 2


class UsageError(CorpusToolsError):
    """The command was called wrongly (conflicting or missing options, a bad config file)."""

    exit_code = 2


class DataError(CorpusToolsError):
    """The data was read but fails a check: the build refuses to publish it."""

    exit_code = 1
