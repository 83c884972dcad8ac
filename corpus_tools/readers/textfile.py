"""Opening an input file safely: every way a file can be unusable becomes a one-line InputError.

Shared by the readers, so that a missing file, a directory, an empty or binary file and invalid
UTF-8 are reported the same way whatever the format.
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path

from ..errors import InputError

# Magic numbers of binary formats people mistake for inputs, to name them in the error.
_MAGIC = {
    b"PAR1": "a Parquet file",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "a gzip file",
    b"%PDF": "a PDF document",
    b"SQLite format 3": "an SQLite database",
}


def check_file(path: Path) -> int:
    """Raise InputError unless ``path`` is a non-empty regular file; return its size in bytes."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    if size == 0:
        raise InputError(f"{path}: empty file")
    return size


def read_head(path: Path, n: int = 65536) -> bytes:
    """The first ``n`` bytes of a file, for format sniffing."""
    with path.open("rb") as handle:
        return handle.read(n)


_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def binary_kind(head: bytes) -> str | None:
    """Name the binary format of a file from its first bytes, or None when it looks like text."""
    for magic, name in _MAGIC.items():
        if head.startswith(magic):
            return name
    if b"\x00" in head:
        return "a binary file"
    controls = len(head) - len(head.translate(None, _CONTROLS))  # counted in C, not byte by byte
    if head and controls / len(head) > 0.05:
        return "a binary file"
    return None


# Inputs in another encoding than UTF-8 (cp1251, Latin-1) are refused rather than read as replacement
# characters: more than this share of their lines would need one.
MAX_REPLACED_SHARE = 0.01


def decode_text(path: Path, data: bytes) -> tuple[str, int]:
    """Decode UTF-8 (a BOM is dropped), normalise CRLF and CR line ends to LF; each sequence that is
    not UTF-8 becomes U+FFFD, counted (the second value). A file in which too many lines need one is
    not UTF-8: an InputError naming the line and column of the first bad byte.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text, replaced = data.decode("utf-8"), 0
    except UnicodeDecodeError as error:
        text, replaced = decode_counting(data)
        if replaced > max(10, MAX_REPLACED_SHARE * (data.count(b"\n") + 1)):
            line = data.count(b"\n", 0, error.start) + 1
            column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
            raise InputError(f"{path}:{line}: not UTF-8 ({replaced} undecodable sequences; the first, byte "
                             f"0x{data[error.start]:02x}, at column {column})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n"), replaced


def decode_counting(data: bytes) -> tuple[str, int]:
    """UTF-8 with each undecodable sequence replaced by U+FFFD, and how many were."""
    _COUNTS.append(0)
    try:
        return data.decode("utf-8", errors="corpus_tools.count"), _COUNTS[-1]
    finally:
        _COUNTS.pop()


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> tuple[str, int]:
    """Text with every lone surrogate (what ``surrogateescape`` decoding makes of a byte that is not
    UTF-8) replaced by U+FFFD, and how many were.

    >>> replace_surrogates(b"ok \\xff".decode("utf-8", "surrogateescape"))
    ('ok \\ufffd', 1)
    """
    if not _SURROGATE.search(text):
        return text, 0
    return _SURROGATE.subn(REPLACEMENT, text)


def read_text(path: Path) -> tuple[str, int]:
    """Read a whole text input after the checks above, and count its replaced characters (see
    ``decode_text``); binary files are refused by name."""
    check_file(path)
    data = path.read_bytes()
    kind = binary_kind(data[:65536])
    if kind:
        raise InputError(f"{path}: {kind}, not a text file")
    return decode_text(path, data)


# In JSON text: an escaped backslash (kept as it is, so that '\\ud800' is not read as an escape), a
# surrogate pair (a character beyond the Basic Multilingual Plane, kept), or a lone surrogate, which
# no UTF-8 text can hold.
_ESCAPES = re.compile(rb"\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONGEST_ESCAPE = 12
REPLACEMENT = "\ufffd"


def replace_lone_surrogates(data: bytes) -> tuple[bytes, int]:
    """JSON text with every lone UTF-16 surrogate escape replaced by ``\\ufffd``, and how many were.

    >>> replace_lone_surrogates(rb'"\\ud800 \\ud83d\\ude00 \\\\ud800"')
    (b'"\\\\ufffd \\\\ud83d\\\\ude00 \\\\\\\\ud800"', 1)
    """
    if b"\\ud" not in data and b"\\uD" not in data:  # the usual case, at the speed of a byte search
        return data, 0
    replaced = 0

    def lone(match: re.Match[bytes]) -> bytes:
        nonlocal replaced
        escape = match.group(0)
        if escape == b"\\\\" or len(escape) == _LONGEST_ESCAPE:
            return escape
        replaced += 1
        return b"\\ufffd"

    return _ESCAPES.sub(lone, data), replaced


class CleanJson(io.RawIOBase):
    """A JSON file read through a filter that makes every string storable as UTF-8: a lone UTF-16
    surrogate escape (``\\ud800`` without its pair) becomes ``\\ufffd``, the replacement character,
    and with ``repair`` so does every byte that is not UTF-8. ``replaced`` counts both; the convert
    manifest reports it. (Left alone, the parser would turn some lone surrogates into '?' unseen and
    fail on others, and a single bad byte would end the read of the whole file.)"""

    def __init__(self, raw: io.RawIOBase | io.BufferedIOBase, *, repair: bool = False) -> None:
        super().__init__()
        self._raw, self._repair = raw, repair
        self._reset()

    def _reset(self) -> None:
        self.replaced = 0  # reading again from the start counts again
        self._carry, self._ready = b"", b""
        self._nesting: list | None = None  # [depth, in a string, after a backslash] while blocks look nested
        self._offset = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="corpus_tools.count")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if (offset, whence) != (0, io.SEEK_SET):
            raise io.UnsupportedOperation("CleanJson only seeks back to the start")
        self._reset()
        return self._raw.seek(0)

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self._ready:
            block = self._raw.read(1 << 16)
            if not block and not self._carry:
                return 0
            self._ready = self._clean(self._carry + block, final=not block)
        size = min(len(buffer), len(self._ready))
        buffer[:size], self._ready = self._ready[:size], self._ready[size:]
        return size

    def _clean(self, data: bytes, *, final: bool) -> bytes:
        cut = len(data)
        if not final:  # keep back what could be the start of an escape that the next block ends
            first = data.find(b"\\", max(0, len(data) - _LONGEST_ESCAPE))
            if first >= 0:
                while first > 0 and data[first - 1] == 0x5C:
                    first -= 1
                cut = first
        data, self._carry = data[:cut], data[cut:]
        self._guard_nesting(data)
        self._offset += len(data)
        data, replaced = replace_lone_surrogates(data)
        self.replaced += replaced
        if self._repair:
            _COUNTS.append(0)
            text = self._decoder.decode(data, final=final)
            self.replaced += _COUNTS.pop()
            data = text.encode("utf-8")
        return data



    def _guard_nesting(self, data: bytes) -> None:
        """Refuse JSON nested absurdly deep (an export is a few levels deep): the parser's memory
        grows with the square of the depth, so a small file could exhaust it. Only blocks dense in
        brackets (few quotes per bracket, unlike any export) are followed byte by byte."""
        opens = data.count(b"[") + data.count(b"{")
        if opens < MAX_NESTING // 4 or opens * 3 <= data.count(b'"'):
            self._nesting = None
            return
        depth, quoted, escaped = self._nesting or [0, False, False]
        for position, byte in enumerate(data):
            if quoted:
                escaped, quoted = (False, True) if escaped else (byte == 0x5C, byte != 0x22)
            elif byte in (0x5B, 0x7B):
                depth += 1
                if depth > MAX_NESTING:
                    raise NestedTooDeeply(f"JSON nested more than {MAX_NESTING} levels deep at byte "
                                          f"{self._offset + position}; no export is")
            elif byte in (0x5D, 0x7D):
                depth -= 1
            elif byte == 0x22:
                quoted = True
        self._nesting = [depth, quoted, escaped]


MAX_NESTING = 512


class NestedTooDeeply(ValueError):
    """JSON nested deeper than MAX_NESTING: refused before the parser sees it."""


_COUNTS: list[int] = []  # replacements made by the decoder now running (see _count_replacement)


def _count_replacement(error: UnicodeDecodeError) -> tuple[str, int]:
    """The 'corpus_tools.count' error handler: U+FFFD for each undecodable sequence, counted."""
    if _COUNTS:
        _COUNTS[-1] += 1
    return REPLACEMENT, error.end


codecs.register_error("corpus_tools.count", _count_replacement)
