"""package.privacy: the descriptor, the data card and croissant.json disclose what was done with
personal data (never the key); builds with one key reproduce; the archive never holds a full-account
export; a build's privacy check knows the inputs' names."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from corpus_tools.package.build import build, package
from corpus_tools.package.init import init

KEY = "the dataset's own key"


def full_account(path):
    person = {"from": "Anna Petrova", "from_id": "user111111111"}
    account = {"personal_information": {"user_id": 999999999, "first_name": "Exporter", "phone_number": "+1 555 0100"},
               "chats": {"list": [
                   {"name": "Reading club", "type": "private_group", "id": 4242, "messages": [
                       {"id": k, "type": "message", "date_unixtime": str(1743674400 + k), "text": f"post {k}", **person}
                       for k in (1, 2)]},
                   {"name": "Anna Petrova", "type": "personal_chat", "id": 111111111, "messages": [
                       {"id": 1, "type": "message", "date_unixtime": "1743674401", "text": "private", **person}]}]}}
    path.write_text(json.dumps(account))
    return path


@pytest.fixture
def dataset(tmp_path, monkeypatch):
    """A researcher's dataset of a full-account export, with its key file and raw inputs archived."""
    monkeypatch.delenv("CORPUS_TOOLS_PSEUDONYM_KEY")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1743638400")
    folder = tmp_path / "ds"
    init(folder)
    full_account(folder / "raw" / "result.json")
    text = (folder / "dataset.toml").read_text().replace("TODO: a licence id, e.g. CC-BY-4.0", "CC-BY-4.0")
    text = re.sub(r'"TODO: [^"]*"', '"Filled in"', text).replace("raw/TODO-your-export.json", "raw/result.json")
    text = text.replace("# archive_inputs = false", "archive_inputs = true")
    (folder / "dataset.toml").write_text(text)
    (folder / "pseudonym.key").write_text(KEY)
    return folder


def test_the_descriptor_card_and_croissant_disclose_the_policy_not_the_key(dataset):
    result = build(dataset / "dataset.toml")
    privacy = result.descriptor["privacy"]
    assert privacy["key"] == "dataset" and privacy["persons"] == 1 and privacy["personalChatRecordsExcluded"] == 1
    assert set(privacy["policy"].values()) == {"pseudonymise"} and "HMAC-SHA256" in privacy["method"]
    card = (dataset / "README.md").read_text()
    assert "## Personal data" in card and "1 persons in these tables" in card
    assert "1 messages of personal chats in full-account exports were left out" in card
    croissant = json.loads((dataset / "croissant.json").read_text())
    assert "pseudonymised (1 persons)" in croissant["rai:personalSensitiveInformation"]
    assert {"rai:dataCollection", "rai:dataCollectionType"} <= set(croissant)
    for path in dataset.rglob("*"):
        if path.is_file() and path.name != "pseudonym.key":
            assert KEY.encode() not in path.read_bytes(), path


def test_an_explicit_keep_is_recorded(dataset):
    config = dataset / "dataset.toml"
    config.write_text(config.read_text().replace("[privacy]\n", '[privacy]\nfields = { "posts.author" = "keep" }\n', 1))
    result = build(config)
    assert result.descriptor["privacy"]["policy"]["posts.author"] == "keep"
    assert "Kept as the source has them, on purpose: `posts.author`" in (dataset / "README.md").read_text()
    assert result.validation.passed  # the name check knows the field is kept on purpose


def test_the_same_key_reproduces_another_key_does_not(dataset, tmp_path):
    build(dataset / "dataset.toml")
    first = (dataset / "data" / "posts.parquet").read_bytes()
    build(dataset / "dataset.toml")
    assert (dataset / "data" / "posts.parquet").read_bytes() == first
    (dataset / "pseudonym.key").write_text("another key")
    with pytest.raises(Exception, match="already published with other content"):
        build(dataset / "dataset.toml")  # new pseudonyms are other content: refused under the same version


def test_the_archive_holds_no_full_account_export(dataset):
    result = package(dataset, version="1.0.0", archive=True)
    names = zipfile.ZipFile(result.archive).namelist()
    assert not any(name.endswith("raw/result.json") for name in names)
    assert not any(b"Exporter" in zipfile.ZipFile(result.archive).read(name) for name in names)
