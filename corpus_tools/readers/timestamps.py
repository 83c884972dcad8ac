"""Reading the time stamps exports carry, into timezone-aware UTC datetimes.

Sources give the true instant (Unix seconds; ISO 8601 with an offset) or only a local wall-clock
time without an offset (Telegram Desktop's ``date``, 4CAT's ``timestamp``). A local time is turned
into an instant only with a zone the user names (``--tz``); it is never guessed.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.records import Post
from ..errors import option_error


class BadTimestamp(ValueError):
    """A time stamp that cannot be read; the record carrying it is rejected with this message."""


def parse_zone(name: str | None) -> ZoneInfo | None:
    """The zone named by ``tz`` (an IANA name such as 'Europe/Moscow'), or None.

    >>> parse_zone("Asia/Shanghai").key
    'Asia/Shanghai'
    """
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise option_error("tz", repr(name), "not a time zone name (use an IANA name like Europe/Moscow)") from None


def from_unix(value: object) -> datetime:
    """Unix seconds (int, float or a string of digits, as Telegram Desktop writes them) -> UTC.

    >>> from_unix("1689611059").isoformat()
    '2023-07-17T16:24:19+00:00'
    """
    try:
        seconds = float(value)  # type: ignore[arg-type]
        if isinstance(value, bool) or math.isnan(seconds):
            raise ValueError
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise BadTimestamp(f"unparseable Unix time {value!r}") from None


def from_iso(value: object) -> datetime:
    """ISO 8601 with an offset ('2025-04-03T10:00:00+00:00' or '2025-04-03 10:00:00+00:00') -> UTC.

    >>> from_iso("2025-04-03 13:00:00+03:00").isoformat()
    '2025-04-03T10:00:00+00:00'
    """
    moment = _fromisoformat(value)
    if moment.tzinfo is None:
        raise BadTimestamp(f"time {value!r} has no UTC offset")
    return moment.astimezone(UTC)


def from_instant(value: object) -> datetime:
    """An instant as sources write it: Unix seconds (a number or a string of digits) or ISO 8601 with
    an offset -> UTC.

    >>> from_instant(1689611059) == from_instant("1689611059") == from_instant("2023-07-17T16:24:19+00:00")
    True
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_unix(value)
    if isinstance(value, str) and value.strip().replace(".", "", 1).isdigit():
        return from_unix(value)
    return from_iso(value)


def from_local(value: object, zone: ZoneInfo) -> datetime:
    """A local wall-clock time without offset, in ``zone`` -> UTC.

    >>> from_local("2023-07-18T00:24:19", ZoneInfo("Asia/Shanghai")).isoformat()
    '2023-07-17T16:24:19+00:00'
    """
    moment = _fromisoformat(value)
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return moment.replace(tzinfo=zone).astimezone(UTC)


def check_local(value: object) -> str:
    """A local time kept as given (for ``published_local``), after checking it is a time."""
    _fromisoformat(value)
    return str(value)


def _fromisoformat(value: object) -> datetime:
    if not isinstance(value, str):
        raise BadTimestamp(f"unparseable time {value!r}")
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadTimestamp(f"unparseable time {value!r}") from None


def set_published(post: Post, *, instant: datetime | None, local: object | None, zone: ZoneInfo | None) -> None:
    """Date a post from what its source gives: the instant when known (``platform``); else the
    local time converted with the user's zone (``platform_local``); else no instant. A local time
    is kept as given in ``published_local`` either way."""
    if local is not None:
        post.published_local = check_local(local)
    if instant is not None:
        post.published_at, post.date_source = instant, "platform"
    elif local is not None and zone is not None:
        post.published_at, post.date_source = from_local(local, zone), "platform_local"
    if post.published_at is not None:
        post.date_precision = "second"


def set_edited(post: Post, *, instant: datetime | None, local: object | None, zone: ZoneInfo | None,
               marked: bool | None = None) -> None:
    """Record a post's last edit the way ``set_published`` records its publication: the local time kept
    as given in ``edited_local``, the instant (or the local time converted with ``zone``) in
    ``edited_at``. ``is_edited`` is true when either is known or the source ``marked`` the post as
    edited, else false: only readers of sources that would show an edit call this (a source that
    cannot tell leaves ``is_edited`` None).

    >>> post = Post(channel="c", text="", source_file="f")
    >>> set_edited(post, instant=None, local="2022-03-01T10:00:00", zone=ZoneInfo("Europe/Moscow"))
    >>> post.edited_local, post.edited_at.isoformat(), post.is_edited
    ('2022-03-01T10:00:00', '2022-03-01T07:00:00+00:00', True)
    """
    if local is not None:
        post.edited_local = check_local(local)
    if instant is not None:
        post.edited_at = instant
    elif local is not None and zone is not None:
        post.edited_at = from_local(local, zone)
    post.is_edited = bool(marked or instant is not None or local is not None)
