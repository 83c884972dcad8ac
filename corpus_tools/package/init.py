"""``init``: a researcher's own dataset folder, ready to fill in and build.

It writes a commented ``dataset.toml`` (package metadata with ``TODO`` placeholders, which ``build``
refuses until they are filled in; ``[convert]``, ``[[inputs]]``, ``[validation]``, ``[privacy]``,
``[output]``), a ``raw/`` folder for exports, the secret key of the persons' pseudonyms
(``pseudonym.key``, private and git-ignored), a ``.gitignore``, and a GitHub Actions workflow that
validates the published package on every push and fails the job on errors, with the JUnit report kept. Exports
given with ``--from`` are listed as inputs where they are (inside the folder by a relative path,
elsewhere by their absolute one); the package itself records them by file name and sha256 only.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..core.files import write_atomic
from ..errors import UsageError
from ..readers import detect_format
from .config import KEY_FILE, PLACEHOLDER

WORKFLOW = ".github/workflows/validate.yml"
GITIGNORE = """\
# corpus-tools: what a build leaves that is not the package
.venv/
dist/
reports/data-docs/
.staging-*/
.*.tmp-*
.corpus-tools-journal.json
# The secret key of the persons' pseudonyms: whoever has it can tell who a pseudonym is. Keep it,
# privately, to make the next version with the same pseudonyms; never publish it.
pseudonym.key
# Raw exports can hold what may not be published (private chats, personal data): keep them out of
# git unless their licence and content allow it.
raw/*
!raw/README.md
"""
RAW_README = """\
Put the raw exports of the dataset here (Telegram Desktop result.json or messages.html, Telethon
dumps, scraper CSVs, saved t.me/s pages) and list each under [[inputs]] in ../dataset.toml.
They are not committed (see ../.gitignore); the package records each by name and sha256.
"""
WORKFLOW_TEXT = """\
# Validates the published package on every push and pull request: the job fails when a check
# fails at error severity, and the JUnit report is kept as an artifact.
name: validate
on:
  push:
  pull_request:
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      # corpus-tools as this dataset was built with; point CORPUS_TOOLS at another release or a git URL.
      - run: pip install "${{{{ vars.CORPUS_TOOLS || 'corpus-tools=={version}' }}}}"
      - run: corpus-tools verify datapackage.json
      - run: corpus-tools validate datapackage.json --junit reports/validation.junit.xml
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: validation-report
          path: reports/validation.junit.xml
"""


@dataclass
class InitResult:
    directory: Path
    written: list[str]  # paths relative to the folder


def init(directory: Path, *, sources: Sequence[Path] = ()) -> InitResult:
    """Create the dataset folder ``directory`` (which may exist, but must not hold a dataset.toml).

    Example: ``init(Path("my-dataset"), sources=[Path("~/exports/result.json").expanduser()])``
    """
    config = directory / "dataset.toml"
    if config.exists():
        raise UsageError(f"{config}: already exists; init writes a new dataset's folder")
    for source in sources:
        if not source.expanduser().is_file():
            raise UsageError(f"{source}: no such file (given with {{sources}})", options=["sources"])
    files = {"dataset.toml": dataset_toml(directory, [s.expanduser() for s in sources]), ".gitignore": GITIGNORE,
             "raw/README.md": RAW_README, WORKFLOW: WORKFLOW_TEXT.format(version=__version__),
             KEY_FILE: secrets.token_hex(32) + "\n"}
    written = []
    for relative, text in files.items():
        target = directory / relative
        if target.exists() and relative != ".gitignore":
            continue  # keep what the researcher has
        if target.exists():
            text = target.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text
        write_atomic(target, text.encode("utf-8"))
        if relative == KEY_FILE:
            target.chmod(0o600)  # the key is for the researcher alone
        written.append(relative)
    return InitResult(directory, written)


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-.")
    return slug or "my-dataset"


def _input_path(directory: Path, source: Path) -> str:
    try:
        return source.resolve().relative_to(directory.resolve()).as_posix()
    except ValueError:
        return str(source.absolute())


def dataset_toml(directory: Path, sources: list[Path]) -> str:
    """The commented dataset.toml ``init`` writes."""
    formats = [detect_format(s) for s in sources]
    fmt = formats[0] if formats and len(set(formats)) == 1 else "auto"
    inputs = "\n".join(f'[[inputs]]\npath = "{_input_path(directory, s)}"\ntitle = "{PLACEHOLDER}: what {s.name} is, '
                       f'and when it was collected"\n# collected = 2025-05-01  # when it was collected (ranks copies of a post)\n'
                       for s in sources) or (f'[[inputs]]\npath = "raw/{PLACEHOLDER}-your-export.json"\n'
                                             f'title = "{PLACEHOLDER}: what this export is"\n')
    channel = '\nchannel = "TODO: the channel\'s name (text dumps do not carry it)"' if "telegram-text" in formats else ""
    return f"""\
# The dataset this folder publishes: `corpus-tools build` converts the inputs, checks and validates
# the tables and writes datapackage.json beside this file. Fill in every {PLACEHOLDER}: build refuses them.
# Every key is documented in docs/commands.md of corpus-tools ("dataset.toml"); unknown keys are refused.

[package]
name = "{_slug(directory.resolve().name)}"  # lower case, digits, '-', '_' and '.': the package's id in catalogues
title = "{PLACEHOLDER}: a title for the dataset"
description = "{PLACEHOLDER}: what the posts are, from which channels, over which period, collected how"
version = "1.0.0"
keywords = ["telegram"]

[[package.licenses]]
name = "{PLACEHOLDER}: a licence id, e.g. CC-BY-4.0"
path = "https://creativecommons.org/licenses/by/4.0/"

[[package.contributors]]
title = "{PLACEHOLDER}: your name"
roles = ["creator"]

[convert]
format = "{fmt}"  # auto detects each input's format{channel}
# period = "2025-01-01/2025-12-31"  # the collection period; dates posts mention date undated posts
# tz = "Europe/Moscow"  # the zone of local times without offset (old Telegram Desktop exports)

{inputs}
[validation]
# Thresholds and severities of this dataset's checks, over corpus-tools' defaults, e.g.:
# [validation.severity]
# "posts.text.exact_duplicates_in_channel" = "warning"  # a channel that legitimately reposts

[privacy]
# Private persons (accounts with a user id) get pseudonyms made with the secret key in pseudonym.key
# (written by init, git-ignored: keep it to give the next version the same pseudonyms). Channels and
# groups stay named. Per field: "pseudonymise" (the default), "keep" or "drop", e.g.:
# fields = {{ "posts.author" = "pseudonymise", "mentions.username" = "keep" }}
# redact_text = true  # mask phone numbers and e-mail addresses in post texts
# include_chats = ["Name"]  # personal chats of a full-account export to read (left out otherwise)
# archive_inputs = false  # put the raw inputs in the release archive (never a full-account export)

[output]
data = "data"
descriptor = "datapackage.json"
reports = "reports"
"""
