"""Unusable inputs: each is one InputError naming the file (and the line, for a file that is not UTF-8);
text that cannot be stored as UTF-8 costs only its characters."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpus_tools.convert.run import convert
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


def test_a_byte_that_is_not_utf8_is_replaced_and_counted(write):
    path = write("bad.txt", b"first line\nsecond line\nthi" + b"\xff" + b"rd\n")
    assert read_text(path) == ("first line\nsecond line\nthi\ufffdrd\n", 1)


def test_a_file_in_another_encoding_names_line_and_column(write):
    path = write("cp1251.txt", ("ok\n" + "Привет, мир\n" * 20).encode("cp1251"))
    with pytest.raises(InputError) as caught:
        read_text(path)
    assert re.fullmatch(rf"{path}:2: not UTF-8 \(\d+ undecodable sequences; the first, byte 0xcf, at column 1\)",
                        str(caught.value))


def test_bom_and_line_ends_are_normalised(write):
    assert read_text(write("w.txt", b"\xef\xbb\xbfa\r\nb\rc\n")) == ("a\nb\nc\n", 0)


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
        ('[{"_": "Message", "id": 1, "peer_id": {"_": "PeerChannel", "channel_id": 5}}, {"_": "Mess', "telethon-jsonl"),
        ('<!DOCTYPE html>\n<html>\n<body>\n<div class="page_wrap">\n<div class="history">\n', "telegram-html"),
        ('<!DOCTYPE html>\n<html><body><div class="tgme_widget_message_wrap">', "tme-html"),
        ("signature,channel_id,channel_name,msg_id,message,cleaned_message,date,msg_link,msg_from_peer,msg_from_id,"
         "views,number_replies,number_forwards,is_forward,forward_msg_from_peer_type\n", "telegram-tracker"),
    ],
)
def test_detect_format(write, content, expected):
    assert detect_format(write("input", content)) == expected


@pytest.mark.parametrize(("content", "message"), [("[1, 2]", "a JSON array"), ("<!DOCTYPE html><p>", "HTML"),
                                                   ("<?xml version='1.0'?><a/>", "XML")])
def test_detect_format_refuses_in_one_line_naming_the_formats_tried(write, content, message):
    with pytest.raises(InputError, match=f"{message} in none of the supported formats \\(tried telethon-jsonl, "
                                         "telegram-json, telegram-html, tme-html, telegram-tracker, csv, telegram-text\\)$"):
        detect_format(write("input", content))


# Text that cannot be stored as UTF-8 costs at most its characters, replaced by U+FFFD and counted,
# in every reader (see docs/guarantees.md).

def telegram_export(path: Path, texts: list[str], raw: bytes | None = None) -> Path:
    messages = [{"id": k, "type": "message", "date": "2025-04-03T10:00:00", "date_unixtime": str(1743674400 + k),
                 "text": f"TEXT{k}"} for k in range(1, len(texts) + 1)]
    body = json.dumps({"name": "c", "type": "public_channel", "id": 5, "messages": messages}, indent=1).encode()
    for k, text in enumerate(texts, start=1):
        body = body.replace(f'"TEXT{k}"'.encode(), b'"' + text.encode("utf-8", "surrogatepass") + b'"')
    path.write_bytes(body if raw is None else raw)
    return path


def posts_of(out: Path) -> list[str]:
    return pq.read_table(out / "posts.parquet", columns=["text"]).column(0).to_pylist()


@pytest.mark.parametrize(("escaped", "stored"), [
    ("bad \\ud800 here", "bad \ufffd here"),  # a lone high surrogate
    ("\\ud800 ... \\udfff", "\ufffd ... \ufffd"),  # a high and a low, apart
    ("\\udfff\\ud800", "\ufffd\ufffd"),  # a low before a high
    ("kept \\ud83d\\ude00", "kept 😀"),  # a pair is a character, kept
    ("kept \\\\ud800", "kept \\ud800"),  # an escaped backslash, then text
])
def test_surrogates_in_telegram_json_are_replaced_and_counted(tmp_path, escaped, stored):
    source = telegram_export(tmp_path / "result.json", ["before", escaped, "after"])
    result = convert([source], tmp_path / "out")
    assert posts_of(tmp_path / "out") == ["before", stored, "after"]
    assert result.inputs[0].facts["replaced_characters"] == stored.count("\ufffd")


def test_a_byte_that_is_not_utf8_costs_only_its_character(tmp_path):
    clean = telegram_export(tmp_path / "clean.json", ["one", "tw@", "three"]).read_bytes()
    source = tmp_path / "result.json"
    source.write_bytes(clean.replace(b"tw@", b"tw\xff"))
    result = convert([source], tmp_path / "out")
    assert posts_of(tmp_path / "out") == ["one", "tw\ufffd", "three"]  # the rest of the file is still read
    assert result.inputs[0].facts["replaced_characters"] == 1 and result.inputs[0].rejects == 0


def test_telethon_lines_csv_rows_and_dumps_replace_what_is_not_utf8(tmp_path):
    line = '{"_": "Message", "id": %d, "peer_id": {"_": "PeerChannel", "channel_id": 5}, "date": "2025-04-03T10:00:00+00:00", "message": "%s"}'
    (tmp_path / "d.jsonl").write_text("\n".join([line % (1, "ok"), line % (2, "x \\udfff y")]) + "\n")
    result = convert([tmp_path / "d.jsonl"], tmp_path / "t")
    assert posts_of(tmp_path / "t") == ["ok", "x \ufffd y"] and result.inputs[0].facts["replaced_characters"] == 1
    (tmp_path / "e.csv").write_bytes(b"id,body,chat,unix_timestamp\n1,fine,c,1743674400\n2,bad \xff byte,c,1743674401\n")
    result = convert([tmp_path / "e.csv"], tmp_path / "c")
    assert posts_of(tmp_path / "c") == ["fine", "bad \ufffd byte"] and result.inputs[0].facts["replaced_characters"] == 1


def test_json_nested_absurdly_deep_is_refused_before_parsing(tmp_path):
    """The parser's memory grows with the square of the depth: a small file could exhaust it."""
    deep = "[" * 100_000 + "]" * 100_000
    source = tmp_path / "result.json"
    source.write_text('{"name": "c", "type": "public_channel", "id": 5, "messages": [{"id": 1, "type": "message", '
                      f'"date_unixtime": "1743674401", "text": "ok", "extra": {deep}}}]}}')
    with pytest.raises(InputError, match="nested more than 512 levels deep at byte"):
        convert([source], tmp_path / "out")
    lines = tmp_path / "d.jsonl"
    line = '{"_": "Message", "id": %d, "peer_id": {"channel_id": 5}, "date": 1743674401, "message": "m"%s}\n'
    lines.write_text(line % (1, "") + line % (2, f', "x": {deep}'))
    result = convert([lines], tmp_path / "t")
    assert (result.inputs[0].posts, result.inputs[0].rejects) == (1, 1)  # a JSON line is its own record
    assert pq.read_table(tmp_path / "t" / "rejects.parquet").column("reason").to_pylist() == [
        "JSON nested too deeply to be a message"]


def test_exports_with_text_full_of_brackets_are_read(tmp_path):
    source = tmp_path / "result.json"
    messages = [{"id": k, "type": "message", "date_unixtime": str(1743674400 + k), "text": "[" * 3000 + "{" * 3000}
                for k in range(1, 4)]
    source.write_text(json.dumps({"name": "c", "type": "public_channel", "id": 5, "messages": messages}))
    convert([source], tmp_path / "out")
    assert posts_of(tmp_path / "out") == ["[" * 3000 + "{" * 3000] * 3
