"""croissant.json: derived from the descriptor, it mirrors the schemas; the committed croissant.json
passes `mlcroissant validate` and its record sets load the Parquet rows."""

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from corpus_tools.package.config import DatasetConfig
from corpus_tools.package.croissant import croissant
from tests.conftest import ROOT
from tests.package.conftest import DESCRIPTOR, TABLES


def test_croissant_mirrors_the_schemas():
    document = json.loads((ROOT / "croissant.json").read_text())
    publisher = DatasetConfig.load(ROOT / "dataset.toml").publishing.publisher
    assert document == croissant(DESCRIPTOR, cite_as=document["citeAs"], publisher=publisher)
    assert document["publisher"] == {"@type": "sc:Organization", "name": publisher}
    assert document["conformsTo"] == "http://mlcommons.org/croissant/1.1" and document["version"] == DESCRIPTOR["version"]
    files = {f["@id"]: f for f in document["distribution"]}
    for name in TABLES:
        resource = next(r for r in DESCRIPTOR["resources"] if r["name"] == name)
        assert files[resource["path"]]["sha256"] == resource["hash"].removeprefix("sha256:")
        record_set = next(r for r in document["recordSet"] if r["name"] == name)
        assert [f["name"] for f in record_set["field"]] == [f["name"] for f in resource["schema"]["fields"]]
    posts = next(r for r in document["recordSet"] if r["name"] == "posts")
    assert posts["key"] == [{"@id": "posts/post_id"}]
    hashtags = next(r for r in document["recordSet"] if r["name"] == "hashtags")
    assert hashtags["field"][0]["references"] == {"field": {"@id": "posts/post_id"}}


def test_mlcroissant_validates_and_loads_the_committed_croissant():
    mlcroissant = Path(sys.executable).parent / "mlcroissant"
    result = subprocess.run([str(mlcroissant), "validate", "--jsonld", "croissant.json"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(ROOT / "croissant.json"))
    for name in ("posts", "hashtags", "countries"):
        records = list(dataset.records(record_set=name))
        ids = [r[f"{name}/post_id"].decode() for r in records]
        assert ids == pq.read_table(TABLES[name], columns=["post_id"]).column("post_id").to_pylist()
