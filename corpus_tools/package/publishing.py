"""What dataset.toml says about publishing the dataset beyond its descriptor: where the data card
goes, and what citation files, Zenodo and the Hugging Face Hub need. Every key this module reads is
read here, checked, and nowhere else:

- ``[package] languages``: list of ISO 639-1 (or 639-3) codes of the posts' language(s), e.g. ``["en"]``
- ``[package] publisher``: string, who publishes the dataset (an institution, a lab)
- ``[package] task_categories``: list of Hugging Face task categories, where one fits
- ``[[package.related_identifiers]]``: ``identifier`` (a URL or DOI, required), ``relation`` (a DataCite
  relation type, required: ``isDerivedFrom``, ``isSupplementTo``, ``isDocumentedBy``, ...),
  ``resource_type`` (optional: ``dataset``, ``software``, ...)
- ``[[package.contributors]]``: besides Data Package v2's ``title``, ``givenName``, ``familyName``,
  ``organization`` (the affiliation), ``path``, ``email`` and ``roles``, an ``orcid``
  (``0000-0002-1825-0097``, its check digit checked)
- ``[output] card``: string, where the data card is written, relative to the package folder
  (default ``README.md``: the page the Hub and a repository host show first)

>>> orcid_problem("0000-0002-1825-0097"), orcid_problem("0000-0002-1825-0098")
(None, 'check digit is wrong')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .hub import two_letter

DEFAULT_CARD = "README.md"
RELATIONS = ("isCitedBy", "cites", "isSupplementTo", "isSupplementedBy", "isContinuedBy", "continues",
             "isDescribedBy", "describes", "hasMetadata", "isMetadataFor", "isNewVersionOf", "isPreviousVersionOf",
             "isPartOf", "hasPart", "isReferencedBy", "references", "isDocumentedBy", "documents", "isCompiledBy",
             "compiles", "isVariantFormOf", "isOriginalFormOf", "isIdenticalTo", "isAlternateIdentifier",
             "isReviewedBy", "reviews", "isDerivedFrom", "isSourceOf", "requires", "isRequiredBy",
             "isObsoletedBy", "obsoletes")
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")


@dataclass(frozen=True)
class Publishing:
    """The keys listed in the module docstring, read and checked."""

    card: Path  # the data card's path, absolute
    languages: list[str] = field(default_factory=list)
    publisher: str | None = None
    task_categories: list[str] = field(default_factory=list)
    related_identifiers: list[dict[str, str]] = field(default_factory=list)


def orcid_problem(orcid: str) -> str | None:
    """What is wrong with an ORCID iD (ISO 7064 11,2 check digit), or None."""
    if not _ORCID.fullmatch(orcid):
        return "not of the form 0000-0000-0000-000X"
    total = 0
    for digit in orcid.replace("-", "")[:-1]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return None if orcid[-1] == ("X" if check == 10 else str(check)) else "check digit is wrong"


def _strings(value: Any, *, key: str, where: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise UsageError(f"{where}: [package] {key} must be a list of strings")
    return value


def _languages(value: Any, where: Path) -> list[str]:
    codes = _strings(value, key="languages", where=where)
    try:
        return [two_letter(code) for code in codes]
    except ValueError as error:
        raise UsageError(f"{where}: [package] languages: {error}") from None


def _related(entries: Any, where: Path) -> list[dict[str, str]]:
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise UsageError(f"{where}: [[package.related_identifiers]] must be tables")
    for entry in entries:
        unknown = set(entry) - {"identifier", "relation", "resource_type"}
        if unknown or not isinstance(entry.get("identifier"), str) or entry.get("relation") not in RELATIONS:
            raise UsageError(f"{where}: a [[package.related_identifiers]] entry needs an identifier and a relation "
                             f"(one of DataCite's: {', '.join(RELATIONS[:6])}, ...), and no other key than "
                             f"resource_type{f' (found {sorted(unknown)})' if unknown else ''}")
    return [dict(e) for e in entries]


def _check_contributors(contributors: Any, where: Path) -> None:
    for contributor in contributors if isinstance(contributors, list) else []:
        orcid = contributor.get("orcid") if isinstance(contributor, dict) else None
        if orcid is not None and (not isinstance(orcid, str) or orcid_problem(orcid)):
            raise UsageError(f"{where}: contributor {contributor.get('title')!r}: orcid {orcid!r} is no ORCID iD "
                             f"({orcid_problem(orcid) if isinstance(orcid, str) else 'not a string'})")


def read_publishing(package: dict[str, Any], output: dict[str, Any], *, root: Path, where: Path) -> Publishing:
    """The publishing keys of dataset.toml (``where``), whose folder is ``root``."""
    _check_contributors(package.get("contributors"), where)
    card = output.get("card", DEFAULT_CARD)
    if not isinstance(card, str) or not card.endswith(".md"):
        raise UsageError(f"{where}: [output] card must be the path of a Markdown file, not {card!r}")
    publisher = package.get("publisher")
    if publisher is not None and not isinstance(publisher, str):
        raise UsageError(f"{where}: [package] publisher must be a string")
    return Publishing(card=root / card, languages=_languages(package.get("languages", []), where),
                      publisher=publisher,
                      task_categories=_strings(package.get("task_categories", []), key="task_categories", where=where),
                      related_identifiers=_related(package.get("related_identifiers", []), where))
