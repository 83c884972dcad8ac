"""Opening an input file safely: every way a file can be unusable becomes a one-line InputError.

Shared by the readers, so that a missing file, a directory, an empty or binary file and invalid
UTF-8 are reported the same way whatever the format.
"""

from __future__ import annotations

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


def binary_kind(head: bytes) -> str | None:
    """Name the binary format of a file from its first bytes, or None when it looks like text."""
    for magic, name in _MAGIC.items():
        if head.startswith(magic):
            return name
    if b"\x00" in head:
        return "a binary file"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if head and controls / len(head) > 0.05:
        return "a binary file"
    return None


def decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8 (a BOM is dropped), normalise CRLF and CR line ends to LF.

    Invalid UTF-8 is an InputError naming the line and column of the first bad byte.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        bad = data[error.start]
        raise InputError(f"{path}:{line}: invalid UTF-8 (byte 0x{bad:02x} at column {column})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path) -> str:
    """Read a whole text input after the checks above; binary files are refused by name."""
    check_file(path)
    data = path.read_bytes()
    kind = binary_kind(data[:65536])
    if kind:
        raise InputError(f"{path}: {kind}, not a text file")
    return decode_text(path, data)
