"""One message of a Telegram Desktop HTML export (a ``div.message`` element) -> Post.

The layout this relies on, as Telegram Desktop writes it:
- ``div.body`` holds ``div.date`` (the time in its ``title``: '25.01.2025 20:21:57 UTC+08:00', older
  exports without the offset), ``div.from_name`` (not in ``joined`` messages), then for a forward a
  ``div.forwarded.body`` (its own ``from_name``, the origin, unless joined to the forward before)
  that holds the rest: ``div.reply_to`` (a link to ``#go_to_messageN``, on this page or another),
  ``div.media_wrap``, ``div.text`` (line breaks as ``<br>``, hashtags as ``ShowHashtag`` links),
  ``div.signature``; ``span.reactions`` come last;
- media blocks are named by class (``photo_wrap``, ``video_file_wrap``, ``sticker_wrap``,
  ``media_poll``, or a generic ``media media_*`` block whose title says what it is);
- a service message creating a forum topic reads 'NAME created topic «TITLE»'.
The export does not show edits, so ``is_edited`` stays null.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..core.records import Poll, PollOption, Post, Reject
from .base import SERVICE, BadRecord
from .htmltext import classes, first, has_class, plain, rich_text
from .mapping import media_type, message_number, reaction, set_reply, text_or_none
from .spans import attach, nfc_with_spans
from .timestamps import BadTimestamp, set_published
from .topics import Topics

_UNSUPPORTED = "This message is not supported by this version of"
_TOPIC_CREATED = " created topic «"


@dataclass
class Page:
    """What the messages of one page share: the chat, the input, and the sender and forward origin of
    the message before (for ``joined`` messages)."""

    chat: str
    source_file: str
    title: str | None  # the chat's name as the page header shows it: a channel's own posts are sent by it
    zone: ZoneInfo | None
    topics: Topics
    sender: str | None = None
    forwarded_from: str | None = None


def convert_message(element, found: list[str], page: Page) -> Post | Reject | str | None:
    """The Post of one ``div.message``, SERVICE for a service message, None for a day header, or a
    Reject saying why not."""
    raw_id = (element.get("id") or "").removeprefix("message")
    try:
        if "service" in found:
            return _service(element, raw_id, page)
        post = _post(element, found, raw_id, page)
        page.topics.place(post)
        return post
    except (BadRecord, BadTimestamp) as problem:
        from lxml import etree

        return Reject(page.source_file, f"message {raw_id or '?'}", str(problem),
                      etree.tostring(element, encoding="unicode")[:2000])


def _service(element, raw_id: str, page: Page) -> Post | str | None:
    if raw_id.startswith("-"):
        return None  # the day header between days
    text = plain(first(element, "body"))
    if text.startswith(_UNSUPPORTED):  # a message the app could not export: kept, as telegram-json keeps it
        return Post(channel=page.chat, message_id=message_number(raw_id), text="", source_file=page.source_file,
                    has_media=True, media_type="unsupported")
    if _TOPIC_CREATED in text and text.endswith("»"):
        page.topics.created(page.chat, message_number(raw_id), text.split(_TOPIC_CREATED, 1)[1][:-1])
    return SERVICE


def _post(element, found: list[str], raw_id: str, page: Page) -> Post:
    message_id = message_number(raw_id)
    body = next((child for child in element if has_class(child, "body")), None)
    if body is None:
        raise BadRecord("message without a body")
    parts = {name: child for child in body if isinstance(child.tag, str) for name in classes(child)}
    if "joined" not in found:
        page.sender, page.forwarded_from = _sender(parts.get("from_name")), None
    forwarded = next((child for child in body if classes(child)[:2] == ["forwarded", "body"]), None)
    content = body if forwarded is None else forwarded
    own = {name: child for child in content if isinstance(child.tag, str) for name in classes(child)}
    text, spans = rich_text(own["text"], _link_kind) if "text" in own else ("", [])
    text, spans = nfc_with_spans(text, spans)
    signature = plain(own.get("signature")) or None
    post = Post(channel=page.chat, message_id=message_id, text=text, source_file=page.source_file,
                author=signature or page.sender, reactions=_reactions(parts.get("reactions", own.get("reactions"))))
    # A sender other than the chat itself is a member of a group (a channel's posts are sent by the
    # channel, its admins shown by signature): a person, of whom the export gives only the name.
    post.author_unidentified = signature is None and page.sender is not None and page.sender != page.title
    _set_date(post, parts.get("date"), page.zone)
    if forwarded is not None:
        origin = first(content, "from_name")
        page.forwarded_from = _sender(origin) if origin is not None else page.forwarded_from
        post.forwarded_from = page.forwarded_from or "unknown"
    _set_reply(post, own.get("reply_to"))
    media = own.get("media_wrap")
    post.media_type = _media(media) if media is not None else None
    post.has_media = post.media_type is not None
    post.poll = _poll(first(media, "media_poll")) if post.media_type == "poll" else None
    attach(post, spans)
    return post


def _sender(element) -> str | None:
    """The name in a ``from_name`` block, without the ' via @bot' and the forward's date after it."""
    if element is None:
        return None
    name = " ".join((element.text or "").split())
    return text_or_none(name.rsplit(" via @", 1)[0] if " via @" in name else name)


def _set_date(post: Post, element, zone: ZoneInfo | None) -> None:
    """'DD.MM.YYYY HH:MM:SS UTC+HH:MM' (older exports: without the offset) from the date's title."""
    title = " ".join((element.get("title") or "").split()) if element is not None else ""
    if not title:
        raise BadRecord("no date")
    day, _, rest = title.partition(" ")
    clock, _, offset = rest.partition(" ")
    try:  # by hand: strptime would be a tenth of the reader's time
        date, time = day.split("."), clock.split(":")
        if len(date) != 3 or len(time) != 3:
            raise ValueError(title)
        moment = datetime(int(date[2]), int(date[1]), int(date[0]), int(time[0]), int(time[1]), int(time[2]))
        instant = moment.replace(tzinfo=_offset(offset)) if offset else None
    except ValueError:
        raise BadTimestamp(f"unparseable time {title!r}") from None
    set_published(post, instant=None if instant is None else instant.astimezone(timezone.utc),
                  local=moment.isoformat(), zone=zone)


def _offset(text: str) -> timezone:
    """'UTC+08:00' -> that fixed offset (ValueError for anything else)."""
    if not text.startswith("UTC") or len(text) < 4:
        raise ValueError(text)
    sign = -1 if text[3] == "-" else 1
    hours, _, minutes = text[4:].partition(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes or 0)))


def _set_reply(post: Post, element) -> None:
    """'In reply to this message' links to ``#go_to_messageN`` (on this page or ``messagesK.html#...``);
    'In reply to a message in another chat' names no message."""
    link = element.find(".//a") if element is not None else None
    href = link.get("href") or "" if link is not None else ""
    if "go_to_message" in href:
        set_reply(post, href.rsplit("go_to_message", 1)[1])


def _link_kind(link, shown: str) -> tuple[str, str | None] | None:
    """What an ``<a>`` of a message text is: a hashtag, a mention, a link (with its URL) or plain text
    (bot commands, cashtags, e-mail addresses, phone numbers and custom emoji are text)."""
    click, href = link.get("onclick") or "", link.get("href") or ""
    if click.startswith("return ShowHashtag"):
        return "hashtag", None
    if click.startswith("return ShowMentionName"):
        return "mention_name", None
    if click or href.startswith(("mailto:", "tel:")):
        return None
    if shown.startswith("@") and href.startswith("https://t.me/"):
        return "mention", None
    if href == shown and href:  # a URL in the text, as typed ('chat.openai.com')
        return "link", href
    if "://" in href or href.startswith("tg:"):
        return "text_link", href
    return None


def _media(media) -> str:
    """The media kind of a ``media_wrap`` block, in the posts table's vocabulary."""
    block = next((child for child in media if isinstance(child.tag, str)), None)
    if block is None:
        return "unknown"
    names = classes(block)
    if "media" in names:  # a generic block: its title says what it is, else its media_* class
        title = plain(first(block, "title"))
        kind = media_type(title) if title else None
        if kind not in (None, "unknown"):
            return kind
    kinds = (media_type(name) for name in names if name.endswith("_wrap") or name.startswith("media_"))
    return next((kind for kind in kinds if kind not in (None, "unknown")), "unknown")


def _poll(element) -> Poll | None:
    """``div.media_poll``: the question, 'Final results' when closed, '- TEXT N votes' per answer and
    the total ('109 votes', '1 vote', 'No votes')."""
    if element is None:
        return None
    question = first(element, "question")
    details = next((child for child in element if classes(child) == ["details"]), None)
    options = []
    for answer in (child for child in element if has_class(child, "answer")):
        text = (answer.text or "").strip().removeprefix("- ").strip()
        counted = first(answer, "details")
        options.append(PollOption(text, votes=_votes(plain(counted)) if counted is not None else 0))
    total = first(element, "total")
    return Poll(rich_text(question, lambda a, s: None)[0] if question is not None else "", options,
                closed=plain(details) == "Final results" if details is not None else None,
                total_voters=_votes(plain(total)) if total is not None else None)


def _votes(text: str) -> int | None:
    """'40 votes', '1 vote, chosen vote', 'No votes' -> 40, 1, 0."""
    number = text.split(" ", 1)[0]
    return 0 if number == "No" else int(number) if number.isdigit() else None


def _reactions(element) -> list[tuple[str, int]]:
    """``span.reaction``: its emoji (or custom emoji, or paid stars) and its count, or as many
    userpics as reacted when the export lists who did."""
    found = []
    for item in (child for child in element if has_class(child, "reaction")) if element is not None else ():
        parts = {name: child for child in item if isinstance(child.tag, str) for name in classes(child)}
        emoji, counter = parts.get("emoji"), plain(parts.get("count"))
        count = int(counter) if counter.isdigit() else sum(1 for _ in item.iter() if has_class(_, "userpic"))
        if has_class(item, "paid"):
            found.append(reaction("paid", count=count))
        elif emoji is not None and len(emoji):  # a link or image inside: a custom emoji
            found.append(reaction("custom_emoji", count=count, document_id=_custom_id(emoji)))
        else:
            found.append(reaction("emoji", count=count, emoji=plain(emoji)))
    return [item for item in found if item is not None]


def _custom_id(emoji) -> str:
    """What the export names a custom emoji by: the file its link or image points at."""
    target = emoji.find(".//a")
    if target is None:
        target = emoji.find(".//img")
    return (target.get("href") or target.get("src") or "").strip() if target is not None else ""
