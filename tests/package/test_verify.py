"""package.verify: sizes and sha256 checked for every resource (one flipped byte, a missing file, a
wrong size), where frictionless does not check them."""

import json

import pytest
from frictionless import validate

from corpus_tools.errors import DataError, InputError
from corpus_tools.package.verify import verify
from tests.conftest import ROOT


def flip_byte(path, offset):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_the_committed_package_verifies(committed_package):
    result = verify(committed_package)
    version = json.loads((ROOT / "datapackage.json").read_text())["version"]
    resources = len(json.loads((ROOT / "datapackage.json").read_text())["resources"])
    assert (result.name, result.version, result.resources) == ("russian-mfa-telegram-en", version, resources)
    assert verify(committed_package.parent).resources == resources  # the folder works too


@pytest.mark.parametrize("file", ["data/posts.parquet", "data/hashtags.csv.gz", "data/rejects.parquet"])
@pytest.mark.parametrize("where", [0, -1, 100])
def test_one_flipped_byte_fails_naming_the_file(committed_package, file, where):
    flip_byte(committed_package.parent / file, where)
    with pytest.raises(DataError, match=f"verify failed: {file}: sha256 [0-9a-f]{{64}}, declared [0-9a-f]{{64}}$"):
        verify(committed_package)


def test_frictionless_does_not_notice_a_flipped_parquet_byte(committed_package):
    """Why verify exists: frictionless-py 5.x skips the hash of a Parquet resource."""
    path = committed_package.parent / "data" / "posts.parquet"
    flip_byte(path, path.read_bytes().index(b"parquet-cpp-arrow"))  # in the footer's created_by: still readable
    descriptor = json.loads(committed_package.read_text())
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] == "posts"]
    committed_package.write_text(json.dumps(descriptor))
    assert validate(committed_package).valid
    with pytest.raises(DataError, match="data/posts.parquet: sha256"):
        verify(committed_package)


def test_a_changed_size_and_a_missing_file(committed_package):
    declared = (committed_package.parent / "data" / "links.csv.gz").stat().st_size
    with (committed_package.parent / "data" / "links.csv.gz").open("ab") as out:
        out.write(b"\0")
    changed = f"data/links.csv.gz: {declared + 1} bytes, declared {declared}"
    with pytest.raises(DataError, match=changed):
        verify(committed_package)
    (committed_package.parent / "data" / "mentions.parquet").unlink()
    with pytest.raises(InputError, match=f"data/mentions.parquet: missing; {changed}"):
        verify(committed_package)  # a missing file is exit 2, and every problem is named


@pytest.mark.parametrize(("edit", "error", "message"), [
    (lambda r: r.update(path="../outside.parquet"), InputError, "leaves the package folder"),
    (lambda r: r.update(path="/etc/passwd"), InputError, "leaves the package folder"),
    (lambda r: r.pop("hash"), DataError, "declares no sha256 hash"),
    (lambda r: r.pop("_bytes"), DataError, "declares no sha256 hash and size"),
])
def test_a_resource_that_cannot_be_checked_fails(committed_package, edit, error, message):
    descriptor = json.loads(committed_package.read_text())
    edit(descriptor["resources"][0])
    committed_package.write_text(json.dumps(descriptor))
    with pytest.raises(error, match=message):
        verify(committed_package)


def test_a_descriptor_that_is_not_there_or_not_one(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        verify(tmp_path / "datapackage.json")
    (tmp_path / "datapackage.json").write_text("[1, 2]")
    with pytest.raises(InputError, match="not a Data Package descriptor"):
        verify(tmp_path)
