"""CHANGELOG.md: one entry per version, newest first, each the difference with the version before.

Entries are only ever added (a new version) or, when a version is forcibly rebuilt with other
content, replaced; a rebuild of an unchanged version leaves the file as it is, so earlier entries
(and hand-written notes in them) survive.
"""

from __future__ import annotations

import re

from .diff import PackageDiff
from .semver import Level

FILE = "CHANGELOG.md"
_HEADING = re.compile(r"^## (\S+)", re.MULTILINE)


def header(name: str) -> str:
    """The text above the entries, written once when the changelog is created."""
    return (f"# Changelog\n\nEvery version of the {name} data package, newest first. Each entry is written by "
            "`corpus-tools package` from the difference with the version before it (`corpus-tools diff OLD NEW` "
            "prints the same); the version numbers follow the Data Package Version recipe.\n")


def entry(*, version: str, created: str, diff: PackageDiff | None, tables: dict[str, int],
          forced_over: Level | None = None) -> str:
    """The entry of ``version``: its difference with the previous version, or, for a first
    release, what it holds. ``forced_over`` records a bump smaller than the change needed.

    >>> entry(version="1.0.0", created="2026-11-28T10:00:00Z", diff=None, tables={"posts": 20}).splitlines()
    ['## 1.0.0 (2026-11-28)', '', 'First release: posts 20 rows.', '']
    """
    lines = [f"## {version} ({created[:10]})", ""]
    if diff is None:
        lines.append("First release: " + ", ".join(f"{name} {rows} rows" for name, rows in tables.items()) + ".")
        return "\n".join(lines) + "\n\n"
    if forced_over is not None:
        lines += [f"Published with --force although the change needs a {forced_over} version.", ""]
    return "\n".join(lines) + "\n" + diff.render() + "\n"


def versions(text: str) -> list[str]:
    """The versions that have an entry, in file order.

    >>> versions("# Changelog\\n\\n## 1.1.0 (2026-12-01)\\n\\n## 1.0.0 (2026-11-28)\\n")
    ['1.1.0', '1.0.0']
    """
    return _HEADING.findall(text)


def add_entry(text: str | None, *, name: str, version: str, new_entry: str) -> str:
    """Put ``new_entry`` first in the changelog ``text`` (None: no changelog yet), replacing an
    existing entry of the same version."""
    text = text or header(name)
    starts = [m.start() for m in _HEADING.finditer(text)]
    head = text[:starts[0]] if starts else text.rstrip("\n") + "\n\n"
    bodies = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    kept = [body for body in bodies if _HEADING.match(body).group(1) != version]
    return head + new_entry + "".join(kept)
