"""Unusable inputs: each is one InputError naming the file (and the line, for bad UTF-8)."""

from __future__ import annotations

import pytest

from corpus_tools.errors import InputError
from corpus_tools.readers import detect_format
from corpus_tools.readers.textfile import read_text


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        read_text(tmp_path / "nope.txt")


def test_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


def test_empty_file(write):
    with pytest.raises(InputError, match="empty file"):
        read_text(write("e.txt", ""))


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b"PAR1\x00\x01", "a Parquet file"), (b"PK\x03\x04rest", "a ZIP archive"), (b"abc\x00def", "a binary file")],
)
def test_binary_files_are_named(write, content, kind):
    with pytest.raises(InputError, match=kind):
        read_text(write("b.bin", content))


def test_invalid_utf8_names_line_and_column(write):
    path = write("bad.txt", b"first line\nsecond line\nthi" + b"\xff" + b"rd\n")
    with pytest.raises(InputError) as caught:
        read_text(path)
    assert str(caught.value) == f"{path}:3: invalid UTF-8 (byte 0xff at column 4)"


def test_bom_and_line_ends_are_normalised(write):
    assert read_text(write("w.txt", b"\xef\xbb\xbfa\r\nb\rc\n")) == "a\nb\nc\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("some text\n", "telegram-text"),
        ('\ufeff{\n "name": "chan",\n "messages": []\n}', "telegram-json"),
        ('{"_": "Message", "id": 1, "message": "hi"}\n{"_": "Message", "id": 2}\n', "telethon-jsonl"),
        ('{"id": 1, "peer_id": {"channel_id": 5}}\n', "telethon-jsonl"),
        ('{"name": "not a message but one line"}\n', "telegram-json"),
        ("id,thread_id,chat,body,timestamp\n1,a,a,hi,2025-01-01 00:00:00\n", "csv"),
        ("a,b,c\n1,2,3\n", "telegram-text"),  # a CSV without the mapped columns is not recognised
    ],
)
def test_detect_format(write, content, expected):
    assert detect_format(write("input", content)) == expected


@pytest.mark.parametrize(("content", "message"), [("[1, 2]", "a JSON array"), ("<!DOCTYPE html><p>", "HTML input")])
def test_detect_format_refuses(write, content, message):
    with pytest.raises(InputError, match=message):
        detect_format(write("input", content))
