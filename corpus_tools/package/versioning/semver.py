"""Semantic versions for data, enforced (the Data Package Version recipe).

A version is MAJOR.MINOR.PATCH. What a change between two versions of the package requires is a
``Level``: an incompatible change needs a new major version, added data a new minor one, fixes a new
patch. ``check_version`` refuses a version that bumps less than the change needs, so a user who pins
1.x never gets a package their code cannot read.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from ...errors import UsageError

_VERSION = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


class Level(enum.IntEnum):
    """How much a change between two versions requires, ordered: NONE < PATCH < MINOR < MAJOR."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Version:
    """A MAJOR.MINOR.PATCH version.

    >>> Version.parse("1.4.2").bump(Level.MINOR)
    Version(major=1, minor=5, patch=0)
    >>> str(Version.parse("1.4.2").bump(Level.MAJOR))
    '2.0.0'
    """

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = _VERSION.fullmatch(str(text).strip())
        if not match:
            raise UsageError(f"version {text!r} is not MAJOR.MINOR.PATCH (e.g. 1.0.0)")
        return cls(*(int(part) for part in match.groups()))

    def bump(self, level: Level) -> Version:
        """The next version that allows a change of ``level`` (NONE keeps the version)."""
        if level is Level.MAJOR:
            return Version(self.major + 1, 0, 0)
        if level is Level.MINOR:
            return Version(self.major, self.minor + 1, 0)
        if level is Level.PATCH:
            return Version(self.major, self.minor, self.patch + 1)
        return self

    def bump_from(self, previous: Version) -> Level:
        """Which part this version raised over ``previous``: the most its change may need.

        >>> Version.parse("1.1.0").bump_from(Version.parse("1.0.7"))
        <Level.MINOR: 2>
        """
        if self <= previous:
            return Level.NONE
        if self.major > previous.major:
            return Level.MAJOR
        if self.minor > previous.minor:
            return Level.MINOR
        return Level.PATCH

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def check_version(*, previous: Version | None, new: Version, needed: Level, force: bool = False) -> None:
    """Refuse ``new`` unless it bumps ``previous`` at least as much as the change needs.

    A version, once published, stands for fixed content: rebuilding the same version is only
    allowed when nothing changed, and versions never go down. ``force`` overrides both.

    >>> check_version(previous=Version(1, 0, 0), new=Version(1, 0, 1), needed=Level.MINOR)
    Traceback (most recent call last):
    ...
    corpus_tools.errors.UsageError: 1.0.1 is a patch bump of 1.0.0, but the change is minor: use 1.1.0 or later (or force)
    """
    if previous is None or force:
        return
    if new < previous:
        raise UsageError(f"version {new} is older than the previous version {previous} (or {{force}})", options=["force"])
    if new == previous:
        if needed is not Level.NONE:
            raise UsageError(
                f"{new} is already published with other content: the change is {needed}, so it needs "
                f"version {previous.bump(needed)} or later (set it in dataset.toml, package with {{bump}} "
                f"{needed}, or {{force}})", options=["bump", "force"])
        return
    bumped = new.bump_from(previous)
    if bumped < needed:
        raise UsageError(f"{new} is a {bumped} bump of {previous}, but the change is {needed}: "
                         f"use {previous.bump(needed)} or later (or {{force}})", options=["force"])
