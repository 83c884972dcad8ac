"""package.hub: Hugging Face's datasets.load_dataset reads every table of a package, offline, with the
declared features, and nothing else in the folder as data: from the committed package (its YAML in
.huggingface.yaml, its card being data/README.md) and from a built one whose card is README.md."""

import shutil

import datasets
import pyarrow.parquet as pq
import pytest
import yaml

from corpus_tools.core.schema import load_schemas
from corpus_tools.package.build import build
from corpus_tools.package.hub import DTYPES, STANDALONE, front_matter, hub_metadata, size_category
from tests.conftest import ROOT, make_project
from tests.package.conftest import DESCRIPTOR

SCHEMAS = load_schemas()


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """No network, and the datasets cache in the test's folder."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "cache")


def declared_features(table):
    return datasets.Features({f["name"]: datasets.Value(DTYPES[f["type"]]) for f in SCHEMAS[table].fields})


def load(folder, table, rows):
    """The table as load_dataset gives it; an empty one streamed (datasets 5.2 builds no empty split)."""
    if rows:
        return datasets.load_dataset(str(folder), table, split="train", cache_dir=str(folder.parent / "cache"))
    with pytest.raises(ValueError, match="corresponds to no data"):  # huggingface/datasets#8401
        datasets.load_dataset(str(folder), table, split="train", cache_dir=str(folder.parent / "cache"))
    return datasets.load_dataset(str(folder), table, split="train", streaming=True)


@pytest.fixture
def committed(tmp_path):
    """The committed package's files the Hub would get (no code, no GX Data Docs)."""
    root = tmp_path / "package"
    for name in ("datapackage.json", "README.md", STANDALONE):
        root.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "data", root / "data")
    for name in ("validation.json", "validation.junit.xml", "validation.html"):
        (root / "reports").mkdir(exist_ok=True)
        shutil.copy(ROOT / "reports" / name, root / "reports" / name)
    return root


def test_every_committed_table_loads_with_its_declared_features(committed):
    paths = {r["name"]: r["path"] for r in DESCRIPTOR["resources"]}
    assert datasets.get_dataset_config_names(str(committed)) == list(SCHEMAS)  # nothing else: no "validation" split
    empty = []
    for table in SCHEMAS:
        rows = pq.ParquetFile(committed / paths[table]).metadata.num_rows
        loaded = load(committed, table, rows)
        assert loaded.features == declared_features(table), table
        assert (len(loaded) if rows else len(list(loaded))) == rows, table
        empty += [table] if not rows else []
    assert empty == ["mentions", "poll_options", "polls", "reactions", "rejects"]  # the bundled package's empty tables load too
    assert set(datasets.load_dataset(str(committed), "posts")) == {"train"}  # one split, not reports/validation.json
    posts = load(committed, "posts", 20)
    assert posts["post_id"] == pq.read_table(committed / paths["posts"]).column("post_id").to_pylist()


def test_a_card_at_the_package_root_carries_the_yaml_as_front_matter(tmp_path):
    project = make_project(tmp_path / "project")
    build(project / "dataset.toml")
    card = (project / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and not (project / STANDALONE).exists()
    metadata = yaml.safe_load(card.split("---\n")[1])
    assert metadata["pretty_name"] == "A test dataset" and metadata["license"] == "cc-by-4.0"
    assert [c["config_name"] for c in metadata["configs"]] == list(SCHEMAS)
    assert metadata["configs"][0]["default"] and metadata["size_categories"] == ["n<1K"]
    assert "](data/overview.png)" in card and "](datapackage.json)" in card  # links from the root
    posts = load(project, "posts", 3)
    assert posts.features == declared_features("posts") and sorted(posts["post_id"])[0].startswith("MFARussia/")
    assert load(project, "hashtags", 1).features == declared_features("hashtags")


def test_the_metadata_follows_the_descriptor():
    metadata = hub_metadata(DESCRIPTOR, rows={"posts": 2_000}, languages=["en", "ru"], task_categories=["text-classification"])
    assert metadata["language"] == ["en", "ru"] and metadata["size_categories"] == ["1K<n<10K"]
    assert metadata["task_categories"] == ["text-classification"] and metadata["tags"] == DESCRIPTOR["keywords"]
    info = {i["config_name"]: i["features"] for i in metadata["dataset_info"]}
    assert info["posts"][5] == {"name": "published_at", "dtype": "timestamp[us, tz=UTC]"}
    assert front_matter(metadata).startswith("---\npretty_name: ") and front_matter(metadata).endswith("---\n\n")
    assert "task_categories" not in hub_metadata(DESCRIPTOR, rows={}, languages=[], task_categories=[])


@pytest.mark.parametrize(("rows", "category"), [(0, "n<1K"), (999, "n<1K"), (10_000, "10K<n<100K"),
                                                (999_999, "100K<n<1M"), (10**13, "n>1T")])
def test_size_category(rows, category):
    assert size_category(rows) == category
