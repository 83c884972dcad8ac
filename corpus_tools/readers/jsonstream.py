"""Streaming the records of a JSON file with ijson, the way every JSON reader needs it read: through
``textfile.CleanJson``, again with repair on when a byte is not UTF-8, and keeping what was read
before a break (a truncated copy) with the break as a reject.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..core.records import Reject
from ..errors import InputError
from .textfile import CleanJson, NestedTooDeeply

_SNIPPET_BYTES = 200


def stream_records(path: Path, convert: Callable[[CleanJson, int], Iterator[Any]], *, source_file: str,
                   stats: dict[str, Any], tally: Callable[[Reject], Any], part: Callable[[], BinaryIO] | None = None,
                   whole: bool = True) -> Iterator[Any]:
    """What ``convert(cleaned, skip)`` yields, one result per record after the first ``skip``, for the
    file at ``path`` (or the ``part`` of it that opens a view of it).

    Read twice at most: a byte that is not UTF-8 restarts the read with repair on, skipping the
    records already given. JSON nested absurdly deep, or malformed before any record of a ``whole``
    file, is an InputError; a break after some records ends the stream with ``tally`` of its reject
    (and ``stats['broken']``, so that a parallel read is redone in one pass).
    """
    import ijson

    done, repair = 0, False
    while True:
        with path.open("rb") as raw:
            cleaned = CleanJson(raw if part is None else part(), repair=repair)
            try:
                for result in convert(cleaned, done):
                    done += 1
                    yield result
                return
            except NestedTooDeeply as error:
                raise InputError(f"{path}: {error}") from None
            except (ijson.JSONError, UnicodeDecodeError) as error:
                if not repair and not_utf8(error):
                    repair = True
                    continue
                if done == 0 and whole:
                    raise InputError(f"{path}: malformed JSON ({one_line(error)})") from None
                stats["broken"] = True
                yield tally(break_reject(raw, path, source_file, error))
                return
            finally:
                stats["replaced_characters"] = cleaned.replaced


def break_reject(handle: BinaryIO, path: Path, source_file: str, error: Exception) -> Reject:
    position = handle.tell()
    handle.seek(max(0, position - _SNIPPET_BYTES))
    snippet = handle.read(_SNIPPET_BYTES).decode("utf-8", "replace")
    return Reject(source_file, f"byte {position}", f"malformed JSON, the rest of the file is unreadable "
                  f"({one_line(error)})", snippet)


def not_utf8(error: Exception) -> bool:
    """Did the parser stop at bytes that are not UTF-8 (which a repairing read replaces)?"""
    return isinstance(error, UnicodeDecodeError) or "invalid bytes in UTF8" in str(error)


def one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]
