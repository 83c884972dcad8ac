"""Reader for telegram-tracker's message CSVs (format ``telegram-tracker``): the ``msgs_dataset.csv``
that github.com/estebanpdl/telegram-tracker builds from Telethon messages with pandas.

It is the csv reader with a preset column mapping (``TRACKER_COLUMNS``, overridable with ``--column``)
and the facts of this scraper's layout:
- ids are written by pandas, often as floats (``805.0``): normalised to ``805``;
- ``date`` is Telethon's UTC time written without its offset ('%Y-%m-%d %H:%M:%S'), so it is read as UTC;
- ``msg_from_peer``/``forward_msg_from_peer_type`` (``PeerChannel``, ``PeerUser``) type the ids in
  ``msg_from_id``/``forward_msg_from_peer_id``: they become 'channel123', 'user123' as elsewhere;
- ``media_type`` is Telethon's media class (``MessageMediaPhoto``, ...); a document's kind comes from
  ``document_type`` (its MIME type); ``MessageMediaWebPage`` is a link preview, not media;
- ``message`` is the text; ``cleaned_message`` (its whitespace collapsed) is used only when
  ``message`` is empty, counted as ``text_from_cleaned_message`` in the manifest;
- ``poll_question``, ``poll_total_voters`` and ``poll_results`` (the Python repr of Telethon's
  ``PollAnswerVoters`` list) give the poll; the options' texts are not in the file.
Contact and location columns (phone numbers, coordinates) are not kept.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from typing import Any

from ..core.records import Poll, PollOption, Post
from .base import ReaderOptions
from .csv_export import FOURCAT_COLUMNS, CsvReader
from .detect import Head
from .mapping import count_or_none, document_media, media_type, text_or_none
from .timestamps import BadTimestamp, set_published

TRACKER_COLUMNS = {
    **{field: "" for field in FOURCAT_COLUMNS},
    "message_id": "msg_id", "channel": "channel_name", "channel_id": "channel_id", "text": "message",
    "published_at": "date", "author_id": "msg_from_id", "forwarded_from": "forward_msg_from_peer_name",
    "forwarded_from_id": "forward_msg_from_peer_id", "reply_to_message_id": "reply_to_msg_id", "views": "views",
    "forwards": "number_forwards", "media_type": "media_type",
}
# Columns only telegram-tracker writes, together: a header with all of them is this scraper's.
_MARKS = ("msg_id", "cleaned_message", "msg_link", "msg_from_peer", "number_forwards", "forward_msg_from_peer_type")
_PEERS = {"PeerChannel": "channel", "PeerUser": "user", "PeerChat": "chat"}


class TrackerCsvReader(CsvReader):
    """Posts from a telegram-tracker messages CSV."""

    format_name = "telegram-tracker"
    preset = TRACKER_COLUMNS

    @classmethod
    def recognises(cls, head: Head, options: ReaderOptions) -> bool:
        """A header row with the columns only this scraper writes."""
        header = set(head.csv_header())
        return all(column in header for column in _MARKS)

    def _post(self, values: dict[str, str], source_file: str) -> Post:
        post = super()._post(values, source_file)
        if not post.text and values.get("cleaned_message"):
            post.text = values["cleaned_message"]
            usage = self.stats[source_file]
            usage["text_from_cleaned_message"] = usage.get("text_from_cleaned_message", 0) + 1
        post.author_id = _typed(values.get("msg_from_peer"), post.author_id)
        if values.get("forward_msg_from_peer_type") or values.get("is_forward", "").startswith("1"):
            post.forwarded_from_id = _typed(values.get("forward_msg_from_peer_type"), post.forwarded_from_id)
            post.forwarded_from = text_or_none(values.get("forward_msg_from_peer_name")) or post.forwarded_from_id \
                or "unknown"
        kind = values.get(self.columns["media_type"]) if self.columns["media_type"] else None
        post.media_type = document_media(values.get("document_type")) if kind == "MessageMediaDocument" \
            else media_type(kind)
        post.has_media = post.media_type is not None
        post.poll = tracker_poll(values) if kind == "MessageMediaPoll" else None
        return post

    def _set_dates(self, post: Post, get: Any) -> None:
        written = get("published_at")
        set_published(post, instant=None if written is None else _utc(written), local=None, zone=None)


def _utc(value: str) -> datetime:
    """The tracker's date: UTC without an offset (or with one, if a later version writes it)."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadTimestamp(f"unparseable time {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _typed(kind: str | None, peer: str | None) -> str | None:
    """A peer id with its kind, as Telegram Desktop writes it: ('PeerChannel', '123.0') -> 'channel123'."""
    if peer is None:
        return None
    number = peer.removesuffix(".0")
    return f"{_PEERS[kind]}{number}" if kind in _PEERS and number.lstrip("-").isdigit() else peer


def tracker_poll(values: dict[str, str]) -> Poll:
    """The poll of a row: the question (a string, or the repr of Telethon's TextWithEntities), the total
    and the results in the poll's order.

    >>> tracker_poll({"poll_question": "{'_': 'TextWithEntities', 'text': 'Q?', 'entities': []}",
    ...               "poll_total_voters": "3.0", "poll_results": "[{'_': 'PollAnswerVoters', 'option': b'0', "
    ...               "'voters': 2}, {'option': b'1', 'voters': 1}]"}).options
    [PollOption(text=None, votes=2, percent=None), PollOption(text=None, votes=1, percent=None)]
    """
    question = _literal(values.get("poll_question"))
    if isinstance(question, dict):
        question = question.get("text")
    results = _literal(values.get("poll_results"))
    options = [PollOption(None, votes=count_or_none(item.get("voters")))
               for item in results if isinstance(item, dict)] if isinstance(results, list) else []
    total = values.get("poll_total_voters", "").removesuffix(".0")
    return Poll(str(question or ""), options, total_voters=int(total) if total.isdigit() else None)


def _literal(text: str | None) -> Any:
    """A Python literal as pandas wrote it (a dict or list repr), or the text itself when it is none."""
    if not text:
        return None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text
