"""package.config: every dataset.toml key is read or refused, naming it, before any work; tz, columns,
max_rejects, collected and [validation] take effect; inputs may live anywhere."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest

from corpus_tools.errors import UsageError
from corpus_tools.package import build as build_module
from corpus_tools.package.build import ValidationFailed, build
from corpus_tools.package.config import DatasetConfig
from tests.conftest import CONFIG, invoke, make_project


@pytest.fixture
def no_work(monkeypatch):
    """Fail the test if a build gets as far as converting."""
    def refuse(*args, **kwargs):
        raise AssertionError("the config was accepted: convert ran")

    monkeypatch.setattr(build_module, "convert_into", refuse)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda c: c.replace('channel = "MFARussia"', 'chanel = "MFARussia"'),
     "unknown key 'chanel' in [convert]; did you mean 'channel'?"),
    (lambda c: c + '[ouptut]\ndata = "data"\n', "unknown section 'ouptut'; did you mean 'output'?"),
    (lambda c: c.replace('title = "A test dataset"', 'titel = "A test dataset"'), "unknown key 'titel' in [package]"),
    (lambda c: c.replace('title = "A dump"', 'tittle = "A dump"'), "unknown key 'tittle' in [inputs[0]]"),
    (lambda c: c + "[validation.near_duplicates]\njacard = 0.9\n", "unknown key 'jacard' in [validation.near_duplicates]"),
    (lambda c: c + '[validation.severity]\n"posts.text.nfcc" = "warning"\n',
     "unknown check 'posts.text.nfcc' in [validation.severity]; did you mean 'posts.text.nfc'?"),
    (lambda c: c.replace('version = "1.2.3"', 'version = "one"'), "package.version = 'one': "),
    (lambda c: c.replace('period = "2025-04-03/2025-04-05"', 'period = "2025-04-05/2025-04-03"'),
     "convert.period = '2025-04-05/2025-04-03': "),
    (lambda c: c.replace('format = "telegram-text"', 'format = "html"'), "convert.format = 'html': expected one of"),
    (lambda c: c.replace('period = "2025-04-03/2025-04-05"', 'period = "2025-04-03/2025-04-05"\ntz = "Mars/Olympus"'),
     "convert.tz = 'Mars/Olympus': "),
    (lambda c: c.replace('path = "raw/dump.txt"', 'path = "raw/missing.txt"'),
     "inputs[0].path = 'raw/missing.txt': no such file"),
    (lambda c: c.replace('name = "test-dataset"', 'name = "Test Dataset"'), "package.name = 'Test Dataset': "),
    (lambda c: c.replace('title = "A test dataset"', 'title = "TODO: a title"'), "still the placeholder"),
    (lambda c: c.replace("keywords = [\"test\"]", "keywords = \"test\""), "package.keywords = 'test': expected a list"),
])
def test_a_misspelt_or_invalid_key_is_refused_naming_it_before_any_work(tmp_path, no_work, edit, message):
    project = make_project(tmp_path, edit(CONFIG))
    result = invoke("build", "--config", project / "dataset.toml")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output


def test_tz_columns_and_max_rejects_take_effect(tmp_path):
    old = {"name": "Old", "type": "public_channel", "id": 3, "messages": [
        {"id": 1, "type": "message", "date": "2022-03-01T12:00:00", "text": "local time only"}]}
    config = CONFIG.replace('format = "telegram-text"\nchannel = "MFARussia"\nperiod = "2025-04-03/2025-04-05"',
                            'format = "telegram-json"\ntz = "Europe/Moscow"\nmax_rejects = 0')
    project = make_project(tmp_path, config.replace("raw/dump.txt", "raw/result.json"))
    (project / "raw" / "result.json").write_text(json.dumps(old))
    build(project / "dataset.toml")
    posts = pq.read_table(project / "data" / "posts.parquet", columns=["published_at", "date_source"]).to_pylist()
    assert posts == [{"published_at": datetime(2022, 3, 1, 9, tzinfo=UTC), "date_source": "platform_local"}]
    assert DatasetConfig.load(project / "dataset.toml").max_rejects == 0


def test_validation_overrides_take_effect_and_are_recorded(tmp_path):
    """A channel that legitimately reposts: its repeated texts fail at error severity unless the
    dataset says they are a warning."""
    reposted = {"name": "Reposts", "type": "public_channel", "id": 4, "messages": [
        {"id": k, "type": "message", "date_unixtime": str(1743674400 + k), "text": "The same announcement again."}
        for k in (1, 2)]}
    config = CONFIG.replace('format = "telegram-text"\nchannel = "MFARussia"\nperiod = "2025-04-03/2025-04-05"',
                            'format = "telegram-json"').replace("raw/dump.txt", "raw/result.json")
    project = make_project(tmp_path, config)
    (project / "raw" / "result.json").write_text(json.dumps(reposted))
    with pytest.raises(ValidationFailed) as refused:
        build(project / "dataset.toml")
    assert "posts.text.exact_duplicates_in_channel" in str(refused.value)
    (project / "dataset.toml").write_text(config + '[validation]\nexamples = 5\n[validation.severity]\n'
                                          '"posts.text.exact_duplicates_in_channel" = "warning"\n')
    result = build(project / "dataset.toml")
    record = result.descriptor["validation"]
    assert record["passed"] and record["warnings"] == ["posts.text.exact_duplicates_in_channel"]
    assert record["config"] == {"examples": 5, "severity": {"posts.text.exact_duplicates_in_channel": "warning"}}
    assert json.loads((project / "reports" / "validation.json").read_text())["config"]["examples"] == 5


def test_inputs_outside_the_folder_are_recorded_by_name_and_reproduce(tmp_path):
    exports = tmp_path / "elsewhere"
    exports.mkdir()
    (exports / "dump.txt").write_text((make_project(tmp_path / "seed") / "raw" / "dump.txt").read_text())
    (tmp_path / "link").symlink_to(exports)
    config = CONFIG.replace('path = "raw/dump.txt"', f'path = "{tmp_path / "link" / "dump.txt"}"')
    first = tmp_path / "first"
    first.mkdir()
    (first / "dataset.toml").write_text(config)
    result = build(first / "dataset.toml")
    (source,) = result.descriptor["sources"]
    assert source["name"] == "dump.txt" and "path" not in source and source["hash"].startswith("sha256:")
    assert str(tmp_path) not in (first / "datapackage.json").read_text()
    assert str(tmp_path) not in (first / "data" / "manifest.json").read_text()
    second = tmp_path / "second"
    shutil.copytree(first, second)
    build(second / "dataset.toml")
    assert {p.name: p.read_bytes() for p in (first / "data").iterdir()} == \
        {p.name: p.read_bytes() for p in (second / "data").iterdir()}


def test_a_home_relative_input_is_found(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    project = make_project(tmp_path / "p")
    shutil.move(project / "raw" / "dump.txt", tmp_path / "home" / "dump.txt")
    (project / "dataset.toml").write_text(CONFIG.replace('path = "raw/dump.txt"', 'path = "~/dump.txt"'))
    assert DatasetConfig.load(project / "dataset.toml").inputs[0].path == tmp_path / "home" / "dump.txt"


def test_usage_errors_name_the_file(tmp_path):
    with pytest.raises(UsageError, match="dataset.toml: no such file"):
        DatasetConfig.load(tmp_path / "dataset.toml")
