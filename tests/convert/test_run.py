"""convert end to end on a small dump: tables, manifest, determinism, all-or-nothing outputs."""

import json

import pandas as pd
import pytest

from corpus_tools.convert.inputs import source_names
from corpus_tools.convert.run import convert
from corpus_tools.convert.steps.dating import Period
from corpus_tools.core.schema import load_schemas
from corpus_tools.errors import DataError, InputError
from tests.conftest import DUMP
from tests.convert.conftest import desktop_export, desktop_message


def run(tmp_path, write, **options):
    path = write("dump.txt", DUMP)
    options.setdefault("channel", "MFARussia")
    return convert([path], tmp_path / "out", **options)


def test_tables_and_manifest(tmp_path, write):
    result = run(tmp_path, write, period=Period.parse("2025-04-03/2025-04-05"))
    out = tmp_path / "out"
    # the reply quote is not post text: its flags and hashtag are not counted again
    assert result.tables == {"posts": 3, "countries": 2, "hashtags": 1, "links": 1, "mentions": 1, "poll_options": 0,
                             "polls": 0, "post_sources": 3, "reactions": 0, "rejects": 1}
    assert sorted(p.name for p in out.iterdir()) == sorted(result.files)
    posts = pd.read_parquet(out / "posts.parquet")
    assert list(posts.columns) == load_schemas()["posts"].field_names
    assert posts["forwarded_from"].tolist()[1] == "MoD Russia"
    assert posts["has_media"].tolist() == [False, True, False]
    assert posts["reply_to_post_id"].tolist()[2] == posts["post_id"].tolist()[0]
    assert [str(t.date()) for t in posts["published_at"]] == ["2025-04-03", "2025-04-04", "2025-04-04"]
    assert posts["date_source"].tolist() == ["inferred_from_text", "inferred_from_text", "inferred_from_order"]
    assert str(posts["published_at"].dtype) == "datetime64[us, UTC]"
    rejects = pd.read_parquet(out / "rejects.parquet")
    assert rejects.to_dict("records") == [{"source_file": "dump.txt", "location": "line 15",
                                           "reason": "forward header with no post after it",
                                           "raw": "Forwarded from Nobody"}]
    manifest = json.loads((out / "manifest.json").read_text())
    (entry,) = manifest["inputs"]
    assert entry["lines"] == 15 == sum(entry["line_usage"].values())
    assert entry["line_usage"] == {"post_text": 6, "merged_duplicate": 3, "interface_string": 2,
                                   "forward_header": 1, "reply_quote": 2, "blank": 0, "rejected": 1}
    assert entry["posts"] == 3 and entry["rejects"] == 1
    assert manifest["tables"] == result.tables


def test_same_input_same_bytes(tmp_path, write):
    run(tmp_path, write)
    first = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    run(tmp_path, write)
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == first


def test_failed_convert_leaves_no_partial_output(tmp_path, write):
    out = tmp_path / "out"
    good = write("good.txt", DUMP)
    convert([good], out, channel="c")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(InputError):
        convert([good, write("bad.txt", b"\xff\xfe broken")], out, channel="c")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no staging folder left either


def test_source_names_are_relative_to_the_common_folder(tmp_path):
    a, b = tmp_path / "a" / "result.json", tmp_path / "b" / "result.json"
    assert source_names([a, b]) == ["a/result.json", "b/result.json"]
    assert source_names([a]) == ["result.json"]


def test_many_channels_convert_into_one_table_set(tmp_path, write):
    inputs = []
    for channel in range(1, 21):
        (tmp_path / f"ChatExport_{channel}").mkdir()
        messages = [desktop_message(1, f"hello from {channel}"), desktop_message(2, "again", reply_to_message_id=1),
                    {"id": 3, "type": "service", "action": "pin_message"}]
        inputs.append(write(f"ChatExport_{channel}/result.json", desktop_export(channel, messages)))
    result = convert(inputs, tmp_path / "out")
    posts = pd.read_parquet(tmp_path / "out" / "posts.parquet")
    assert result.tables["posts"] == 40 and posts.post_id.is_unique
    assert posts.channel.nunique() == 20 and set(posts.source_file) == {f"ChatExport_{c}/result.json" for c in range(1, 21)}
    assert sum(i.facts["record_usage"]["service"] for i in result.inputs) == 20
    assert posts.reply_to_post_id.dropna().tolist() == [f"{c}/1" for c in range(1, 21)]


@pytest.mark.parametrize(("limit", "fails"), [(None, False), (2, False), (1, True), (0, True)])
def test_max_rejects(tmp_path, write, limit, fails):
    messages = [desktop_message(1), {"type": "message", "text": "no id"}, desktop_message(2, text=7)]
    path = write("result.json", desktop_export(5, messages))
    if fails:
        with pytest.raises(DataError, match=f"more than {limit} records rejected"):
            convert([path], tmp_path / "out", max_rejects=limit)
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    else:
        assert convert([path], tmp_path / "out", max_rejects=limit).tables["rejects"] == 2
