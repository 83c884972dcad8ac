"""The docs describe the commands as they are: every command has help with an example, the reference
(docs/commands.md) documents every command and option in the command's own section, every relative
link in the README and docs/ leads somewhere, the README stays a front page, and timings measured on
one machine stay out of the docs (they belong in benchmarks/)."""

from __future__ import annotations

import re

import pytest
import typer

from corpus_tools.cli import app
from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
COMMANDS = DOCS / "commands.md"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
HEADING = re.compile(r"^(#{1,6}) +(.+?) *$", re.MULTILINE)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _commands():
    group = typer.main.get_command(app)
    return group, group.commands


def _options(params) -> list[str]:
    return [opt for param in params for opt in param.opts if opt.startswith("-") and opt != "--help"]


def _sections(text: str) -> dict[str, str]:
    """Each level-2 or level-3 heading's text -> the section under it, up to the next such heading."""
    heads = [m for m in HEADING.finditer(text) if len(m.group(1)) in (2, 3)]
    ends = [m.start() for m in heads[1:]] + [len(text)]
    return {m.group(2): text[m.end():end] for m, end in zip(heads, ends)}


def _mentions(section: str, option: str) -> bool:
    """``option`` in backticks, alone or with its argument (`--out DIR`), not as part of a longer name."""
    return re.search(rf"`{re.escape(option)}(?![\w-])[^`\n]*`", section) is not None


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def test_every_command_has_help_with_an_example():
    _, commands = _commands()
    for name, command in commands.items():
        assert command.help and "Example: corpus-tools " + name in command.help, name


def test_reference_documents_every_command_and_option():
    sections = _sections(COMMANDS.read_text(encoding="utf-8"))
    group, commands = _commands()
    assert "Global options" in sections, "docs/commands.md needs a '## Global options' section"
    for option in _options(group.params):
        assert _mentions(sections["Global options"], option), f"global option {option}"
    for name, command in commands.items():
        heading = f"`corpus-tools {name}`"
        assert heading in sections, f"docs/commands.md has no '### {heading}' section"
        for option in _options(command.params):
            assert _mentions(sections[heading], option), f"{name} {option}: not in its section of docs/commands.md"


def test_the_section_check_is_strict():
    """An option documented under another command's heading does not count for this one."""
    sections = _sections("## Global options\n\n`--debug`\n\n### `corpus-tools a`\n\n`--out DIR`\n\n"
                         "### `corpus-tools b`\n\n`--outline`\n")
    assert _mentions(sections["`corpus-tools a`"], "--out")
    assert not _mentions(sections["`corpus-tools b`"], "--out")
    assert not _mentions(sections["Global options"], "--out")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page):
    text = page.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        assert file.exists(), f"{page.name}: link to {target}: no such file"
        if anchor and file.suffix == ".md":
            anchors = {_slug(m.group(2)) for m in HEADING.finditer(file.read_text(encoding="utf-8"))}
            assert anchor in anchors, f"{page.name}: link to {target}: no such heading"


def test_readme_is_a_front_page():
    size = len(README.read_bytes())
    assert size < 16 * 1024, f"README.md is {size} bytes; the reference belongs in docs/"
    assert (DOCS / "commands.md").is_file()


# A duration or a rate: '37.0 s', '4.5 seconds', '25 minutes', '280 MB/s'; a target ('under 2 minutes',
# 'within 3x') is not a measurement.
TIMING = re.compile(r"(?<!under )(?<!within )\b\d[\d,.]*\s?(?:s|ms|sec|seconds?|minutes?|hours?|[KMG]i?B/s)\b(?!-)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_machine_timings_outside_benchmarks(page):
    found = [m.group(0) for m in TIMING.finditer(page.read_text(encoding="utf-8"))]
    assert not found, f"{page.name}: {found}: measured numbers go in benchmarks/RESULTS.md or benchmarks/NOTES.md"
