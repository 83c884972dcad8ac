"""The docs describe the commands as they are: every command has help with an example, and the
reference documents every command and option."""

from __future__ import annotations

import typer

from corpus_tools.cli import app
from tests.conftest import ROOT


def _commands():
    group = typer.main.get_command(app)
    return group, group.commands


def test_every_command_has_help_with_an_example():
    _, commands = _commands()
    for name, command in commands.items():
        assert command.help and "Example: corpus-tools " + name in command.help, name


def test_readme_documents_every_command_and_option():
    readme = (ROOT / "README.md").read_text()
    group, commands = _commands()
    for param in group.params:
        for option in param.opts:
            if option.startswith("--") and option != "--help":
                assert f"`{option}`" in readme, option
    for name, command in commands.items():
        assert f"### `corpus-tools {name}`" in readme, name
        for param in command.params:
            for option in param.opts:
                if option.startswith("--"):
                    assert f"`{option}" in readme, f"{name} {option}"
