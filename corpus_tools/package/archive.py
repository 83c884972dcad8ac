"""The release archive, ``dist/NAME-VERSION.zip``: one file to upload to Zenodo (or anywhere),
holding the descriptor, every resource, the data card and its figure, CHANGELOG.md,
croissant.json, the manifest and the raw sources, under a folder ``NAME-VERSION/`` with the
package's own layout, so ``corpus-tools verify`` works on it once unpacked.

Reproducible: entries in sorted order, each dated from the version's ``created`` time (not the
files' mtimes), with fixed permissions, so the same package gives the same zip.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from ..core.datapackage import DESCRIPTOR, read_json
from ..core.files import MANIFEST
from . import card
from .descriptor import PackageFiles
from .release import CROISSANT
from .versioning import changelog

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def archive_members(files: PackageFiles, *, data_prefix: str, inputs: bool = False) -> list[str]:
    """What goes into the archive, as paths relative to the package root: the descriptor, every
    resource, and, where they exist, the data card, its figure and the manifest (in the data folder
    ``data_prefix``), CHANGELOG.md and croissant.json; with ``inputs`` also the raw inputs inside the
    package folder, but never a full-account export (it is the exporter's whole account, their own
    personal information and contacts included)."""
    data = "" if data_prefix in ("", ".") else f"{data_prefix}/"
    paths = [DESCRIPTOR] + [r["path"] for r in files.descriptor["resources"] if "path" in r]
    if inputs:
        accounts = _full_accounts(files, data)
        paths += [s["path"] for s in files.descriptor.get("sources", [])
                  if "path" in s and "://" not in s["path"] and s.get("hash") not in accounts]
    extra = [f"{data}{card.FILE}", f"{data}{card.FIGURE}", f"{data}{MANIFEST}", changelog.FILE, CROISSANT]
    paths += [p for p in extra if (files.root / p).is_file()]
    return sorted(set(paths))


def _full_accounts(files: PackageFiles, data: str) -> set[str]:
    """The hashes ('sha256:HEX') of the inputs the manifest says are full-account exports."""
    manifest = files.root / f"{data}{MANIFEST}"
    found = read_json(manifest, what="convert manifest") if manifest.is_file() else {}
    return {f"sha256:{i.get('sha256')}" for i in found.get("inputs", []) if i.get("export") == "full-account"}


def write_archive(files: PackageFiles, out: Path, *, data_prefix: str, inputs: bool = False) -> Path:
    """Write the zip of the package at ``files`` to ``out`` (a file path), atomically: streamed into a
    temporary file beside it, then renamed.

    Example: ``write_archive(PackageFiles.load(Path(".")), Path("dist/x-1.0.0.zip"), data_prefix="data")``
    """
    created = files.descriptor.get("created", "")
    try:
        stamp = max(datetime.fromisoformat(created).timetuple()[:6], ZIP_EPOCH)
    except ValueError:
        stamp = ZIP_EPOCH
    folder = f"{files.descriptor['name']}-{files.descriptor['version']}"
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED,
                                                             compresslevel=9) as archive:
            for relative in archive_members(files, data_prefix=data_prefix, inputs=inputs):
                info = zipfile.ZipInfo(f"{folder}/{relative}", date_time=stamp)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                path = files.locate(relative)
                large = path.stat().st_size >= zipfile.ZIP64_LIMIT
                with path.open("rb") as source, archive.open(info, "w", force_zip64=large) as target:
                    shutil.copyfileobj(source, target, 1 << 20)
        os.chmod(temp, 0o644)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return out
