"""package.archive: the release zip holds the package, is reproducible, carries the version's time,
and verifies once unpacked."""

import json
import shutil
import zipfile
from datetime import datetime

from corpus_tools.package.archive import write_archive
from corpus_tools.package.descriptor import PackageFiles
from corpus_tools.package.verify import verify
from tests.conftest import ROOT

# What a build publishes besides the resources (the reports among them, which the descriptor and card
# point to); a path that does not exist is left out.
PUBLISHED = ["CHANGELOG.md", "croissant.json", "CITATION.cff", ".zenodo.json", ".huggingface.yaml", "data/README.md",
             "data/overview.png", "data/manifest.json", "reports/validation.json", "reports/validation.junit.xml",
             "reports/validation.html"]


def test_the_archive_holds_the_package_and_verifies_unpacked(committed_package, tmp_path_factory):
    root = committed_package.parent
    for name in PUBLISHED:
        (root / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, root / name)
    out = write_archive(PackageFiles.load(committed_package), root / "dist" / "x.zip", published=PUBLISHED + ["gone.txt"],
                        inputs=True)
    again = write_archive(PackageFiles.load(committed_package), root / "dist" / "y.zip", published=PUBLISHED,
                          inputs=True)
    assert out.read_bytes() == again.read_bytes()
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        created = datetime.fromisoformat(json.loads(committed_package.read_text())["created"])
        stamp = created.replace(second=created.second // 2 * 2).timetuple()[:6]  # zip keeps even seconds
        assert {info.date_time for info in archive.infolist()} == {stamp}  # the version's time, not the files' mtimes
        unpacked = tmp_path_factory.mktemp("unpacked")
        archive.extractall(unpacked)
    folder = f"russian-mfa-telegram-en-{json.loads(committed_package.read_text())['version']}/"
    assert names == sorted(names) and all(n.startswith(folder) for n in names)
    expected = {"datapackage.json", "data/posts.parquet", "data/posts.csv.gz", "data/raw/mfa_telegram_2025-04-03_05.txt"}
    assert {n.removeprefix(folder) for n in names} == expected | set(PUBLISHED) | {
        r["path"] for r in json.loads(committed_package.read_text())["resources"]}
    assert verify(unpacked / folder).resources == len(json.loads(committed_package.read_text())["resources"])
