"""package.semver: parsing, bumping, and refusing a version that bumps less than the change needs."""

import pytest

from corpus_tools.errors import UsageError
from corpus_tools.package.versioning.semver import Level, Version, check_version


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "1.0.0-rc.1", "01.0.0", "1.0.0.0", "", "one"])
def test_parse_refuses_what_is_not_major_minor_patch(text):
    with pytest.raises(UsageError, match="not MAJOR.MINOR.PATCH"):
        Version.parse(text)


@pytest.mark.parametrize(("level", "expected"), [(Level.MAJOR, "2.0.0"), (Level.MINOR, "1.5.0"),
                                                 (Level.PATCH, "1.4.3"), (Level.NONE, "1.4.2")])
def test_bump(level, expected):
    assert str(Version.parse("1.4.2").bump(level)) == expected


@pytest.mark.parametrize(("old", "new", "bumped"), [
    ("1.4.2", "2.0.0", Level.MAJOR), ("1.4.2", "1.5.0", Level.MINOR), ("1.4.2", "1.4.3", Level.PATCH),
    ("1.4.2", "1.10.0", Level.MINOR), ("1.4.2", "1.4.2", Level.NONE), ("1.4.2", "1.3.9", Level.NONE),
])
def test_bump_from(old, new, bumped):
    assert Version.parse(new).bump_from(Version.parse(old)) is bumped


@pytest.mark.parametrize(("new", "needed"), [
    ("2.0.0", Level.MAJOR), ("1.1.0", Level.MINOR), ("1.0.1", Level.PATCH), ("1.0.0", Level.NONE),
    ("2.0.0", Level.PATCH), ("1.1.0", Level.NONE), ("3.0.0", Level.MAJOR),
])
def test_accepted(new, needed):
    check_version(previous=Version(1, 0, 0), new=Version.parse(new), needed=needed)


@pytest.mark.parametrize(("new", "needed", "message"), [
    ("1.0.1", Level.MINOR, "1.0.1 is a patch bump of 1.0.0, but the change is minor: use 1.1.0"),
    ("1.1.0", Level.MAJOR, "1.1.0 is a minor bump of 1.0.0, but the change is major: use 2.0.0"),
    ("1.0.1", Level.MAJOR, "use 2.0.0"),
    ("1.0.0", Level.PATCH, "1.0.0 is already published with other content: the change is patch, so it needs version 1.0.1"),
    ("0.9.0", Level.NONE, "older than the previous version 1.0.0"),
])
def test_refused_unless_forced(new, needed, message):
    with pytest.raises(UsageError, match=message):
        check_version(previous=Version(1, 0, 0), new=Version.parse(new), needed=needed)
    check_version(previous=Version(1, 0, 0), new=Version.parse(new), needed=needed, force=True)


def test_a_first_release_takes_any_version():
    check_version(previous=None, new=Version(0, 1, 0), needed=Level.MAJOR)
