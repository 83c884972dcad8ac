"""One post of a saved t.me/s page (a ``div.tgme_widget_message`` element) -> Post.

The layout this relies on, as Telegram's web preview writes it:
- the post's own text is its ``tgme_widget_message_text`` outside the reply's quote
  (``a.tgme_widget_message_reply``, whose link names the answered post), the link preview
  (``tgme_widget_message_link_preview``: a link, not media, its title and description not text) and
  the fallback shown to old browsers (``media_not_supported_cont``);
- ``tgme_widget_message_forwarded_from_name`` names a forward's origin, ``<time datetime>`` in
  ``tgme_widget_message_date`` the instant, ``tgme_widget_message_views`` the views ('37.2K': rounded,
  so ``views_approximate``), ``tgme_widget_message_from_author`` the signature, and 'edited' in
  ``tgme_widget_message_meta`` an edit (its time is not shown);
- reactions are ``tgme_reaction`` spans: an emoji, a custom emoji (``tg-emoji[emoji-id]``) or paid
  stars, and a count, rounded like views;
- media by class (``tgme_widget_message_photo_wrap``, ``..._video_player``, ``..._voice_player``,
  ``..._document_wrap``, ``..._sticker_wrap``, ``..._location_wrap``, ``..._poll``, ...);
  "Please open Telegram to view this post" where nothing else is shown is content the preview
  withheld (``media_type`` unknown).
"""

from __future__ import annotations

import base64
import json
from datetime import datetime

from ..core.records import Poll, PollOption, Post, Reject
from .base import REPEATED, SERVICE, BadRecord, ReaderOptions
from .htmltext import class_index, first, has_class, plain, rich_text
from .mapping import media_type, message_number, reaction, set_reply, shown_count, text_or_none
from .spans import attach, nfc_with_spans
from .timestamps import BadTimestamp, from_iso, set_edited

# Parts of a post whose texts are not the post's: the quoted post, the link preview, the fallback
# for old browsers, and the poll (its question and options go to the polls tables).
_NOT_OWN = frozenset({"tgme_widget_message_reply", "tgme_widget_message_link_preview", "media_not_supported_cont",
                      "tgme_widget_message_poll"})
_MEDIA = {"tgme_widget_message_photo_wrap", "tgme_widget_message_video_player",
          "tgme_widget_message_roundvideo_player", "tgme_widget_message_voice_player",
          "tgme_widget_message_document_wrap", "tgme_widget_message_sticker_wrap", "tgme_widget_message_location_wrap",
          "tgme_widget_message_venue_wrap", "tgme_widget_message_poll", "tgme_widget_message_contact_wrap"}
WITHHELD = "Please open Telegram to view this post"


def convert_post(element, *, options: ReaderOptions, source_file: str, seen: set[str]) -> Post | Reject | str:
    """The Post of one post element, SERVICE for a service message, REPEATED for a post already
    given (``seen``), or a Reject saying why not."""
    address = element.get("data-post") or ""
    try:
        if address.lower() in seen:
            return REPEATED
        seen.add(address.lower())
        if has_class(element, "service_message"):
            return SERVICE
        return _post(element, address, options=options, source_file=source_file)
    except (BadRecord, BadTimestamp) as problem:
        from lxml import etree

        return Reject(source_file, f"post {address}", str(problem), etree.tostring(element, encoding="unicode")[:2000])


def _post(element, address: str, *, options: ReaderOptions, source_file: str) -> Post:
    channel, _, number = address.rpartition("/")
    parts = class_index(element, skip=_NOT_OWN)  # one walk; the parts not the post's own are not looked into

    def part(name: str):
        found = parts.get(name)
        return found[0] if found else None

    own_text = part("tgme_widget_message_text")
    text, spans = rich_text(own_text, _link_kind) if own_text is not None else ("", [])
    text, spans = nfc_with_spans(text, spans)
    signature = plain(part("tgme_widget_message_from_author")) or None
    post = Post(channel=options.channel or channel or "unknown", channel_id=_channel_id(element.get("data-view")),
                message_id=message_number(number), text=text, source_file=source_file,
                author=signature or plain(part("tgme_widget_message_owner_name")) or None,
                reactions=_reactions(part("tgme_widget_message_reactions")))
    _set_date(post, part("tgme_widget_message_date"))
    views = shown_count(plain(part("tgme_widget_message_views")))
    if views is not None:
        post.views, post.views_approximate = views
    meta = part("tgme_widget_message_meta")
    set_edited(post, instant=None, local=None, zone=None, marked=meta is not None and _says_edited(meta))
    origin = part("tgme_widget_message_forwarded_from")
    if origin is not None:
        post.forwarded_from = plain(part("tgme_widget_message_forwarded_from_name")) or \
            plain(origin).removeprefix("Forwarded from").strip() or "unknown"
    _set_reply(post, part("tgme_widget_message_reply"), channel)
    kind = next((media_type(name) for name in parts if name in _MEDIA), None)  # classes in document order
    if kind is None and _withheld(parts, own_text):
        kind = "unknown"
    post.media_type, post.has_media = kind, kind is not None
    post.poll = _poll(part("tgme_widget_message_poll"), part("tgme_widget_message_voters")) if kind == "poll" else None
    attach(post, spans)
    return post


def _channel_id(view: str | None) -> str | None:
    """The channel's numeric id from ``data-view`` (base64 of JSON whose ``c`` is minus the id)."""
    if not view:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(view + "=" * (-len(view) % 4)))
    except (ValueError, TypeError):
        return None
    chat = data.get("c") if isinstance(data, dict) else None
    return str(-chat) if isinstance(chat, int) and not isinstance(chat, bool) and chat < 0 else None


def _set_date(post: Post, link) -> None:
    moment = link.find(".//time") if link is not None else None
    if moment is None or not moment.get("datetime"):
        raise BadRecord("no date")
    instant: datetime = from_iso(moment.get("datetime"))
    post.published_at, post.date_source, post.date_precision = instant, "platform", "second"


def _says_edited(meta) -> bool:
    """'edited' in the meta line's own text (the signature beside it is not read)."""
    own = [meta.text or ""] + [child.tail or "" for child in meta]
    return "edited" in " ".join(own).split()


def _set_reply(post: Post, reply, channel: str) -> None:
    """The quoted post from the reply's link 'https://t.me/CHANNEL/ID', its author and excerpt."""
    if reply is None:
        return
    parts = (reply.get("href") or "").split("?")[0].rstrip("/").split("/")
    if len(parts) >= 2 and parts[-1].isdigit():
        other = parts[-2]
        set_reply(post, parts[-1], None if other.lower() == channel.lower() else other)
    post.reply_to_author = plain(first(reply, "tgme_widget_message_author_name")) or None
    post.reply_to_excerpt = plain(first(reply, "tgme_widget_message_metatext")) or None


def _link_kind(link, shown: str) -> tuple[str, str | None] | None:
    href = link.get("href") or ""
    if shown.startswith("#") and href.startswith("?q="):
        return "hashtag", None
    if shown.startswith("@") and href.startswith("https://t.me/"):
        return "mention", None
    if href.startswith(("mailto:", "tel:")):
        return None
    if "://" in href or href.startswith("tg:"):
        return ("link" if href == shown else "text_link"), href
    return None


def _withheld(parts: dict[str, list], own_text) -> bool:
    """Did the preview withhold the post: 'Please open Telegram to view this post' where a supported
    browser sees it (not in the fallback for old browsers), or only that fallback and nothing else?"""
    if any(plain(label) == WITHHELD for label in parts.get("message_media_not_supported_label", [])):
        return True
    return "media_not_supported_cont" in parts and "media_supported_cont" not in parts and own_text is None


def _reactions(element) -> list:
    """(reaction, count) or (reaction, count, True) for a rounded count, for each ``tgme_reaction``."""
    found = []
    for item in (child for child in element if has_class(child, "tgme_reaction")) if element is not None else ():
        shown = shown_count(" ".join([item.text or ""] + [child.tail or "" for child in item]))
        if shown is None:
            continue
        count, rounded = shown
        emoji, custom = item.find(".//b"), item.find(".//tg-emoji")
        if has_class(item, "tgme_reaction_paid"):
            kind = reaction("paid", count=count)
        elif emoji is not None and emoji.text:
            kind = reaction("emoji", count=count, emoji=emoji.text.strip())
        else:
            kind = reaction("custom_emoji", count=count, document_id=custom.get("emoji-id") if custom is not None
                            else None)
        if kind is not None:
            found.append((*kind, True) if rounded else kind)
    return found


def _poll(poll, voters) -> Poll | None:
    """``tgme_widget_message_poll``: the question, the options with the percent each got, and the
    voters ('109 votes') from the footer."""
    if poll is None:
        return None
    parts = class_index(poll)
    options = []
    for option in parts.get("tgme_widget_message_poll_option", []):
        inside = class_index(option)
        percent = plain(_one(inside, "tgme_widget_message_poll_option_percent")).rstrip("%")
        options.append(PollOption(text_or_none(plain(_one(inside, "tgme_widget_message_poll_option_text"))),
                                  percent=int(percent) if percent.isdigit() else None))
    kind = plain(_one(parts, "tgme_widget_message_poll_type")).lower()
    count = shown_count(plain(voters).split(" ")[0]) if voters is not None else None
    return Poll(plain(_one(parts, "tgme_widget_message_poll_question")), options,
                closed=True if "final" in kind or "closed" in kind else None,
                total_voters=count[0] if count else None, total_voters_approximate=bool(count and count[1]))


def _one(parts: dict[str, list], name: str):
    found = parts.get(name)
    return found[0] if found else None
