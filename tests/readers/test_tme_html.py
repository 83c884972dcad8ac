"""tme-html: saved pages of Telegram's web preview (t.me/s/CHANNEL), small ones written here and the
real saved page in the shared samples."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest

from corpus_tools.convert.run import convert
from corpus_tools.core.records import Post, Reject
from corpus_tools.errors import InputError
from corpus_tools.readers import detect_format
from corpus_tools.readers.tme_html import TmeHtmlReader
from tests.conftest import SAMPLES

DUROV = SAMPLES / "tme_s" / "durov.html"


def saved_page(*posts: str, end: str = "</html>\n") -> str:
    return ('<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>Chan – Telegram</title></head>\n<body>\n'
            '<div class="tgme_channel_info_header_title"><span dir="auto">The Channel</span></div>\n'
            '<section class="tgme_channel_history js-message_history">\n' + "".join(posts) + "</section>\n</body>\n"
            + end)


def post(number: int, inner: str, *, channel: str = "chan", views: str = "1.2K", meta: str = "",
         service: bool = False, when: str = "2025-04-03T10:00:00+00:00") -> str:
    view = base64.urlsafe_b64encode(json.dumps({"c": -1234567, "p": number}).encode()).decode().rstrip("=")
    kind = " service_message" if service else ""
    return (f'<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message '
            f'text_not_supported_wrap{kind} js-widget_message" data-post="{channel}/{number}" data-view="{view}">'
            f'<div class="tgme_widget_message_bubble"><div class="tgme_widget_message_author accent_color">'
            f'<a class="tgme_widget_message_owner_name" href="https://t.me/{channel}"><span dir="auto">The Channel'
            f"</span></a></div>{inner}"
            f'<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info '
            f'short js-message_info"><span class="tgme_widget_message_views">{views}</span><span class="copyonly"> '
            f'views</span><span class="tgme_widget_message_meta">{meta}<a class="tgme_widget_message_date" '
            f'href="https://t.me/{channel}/{number}"><time datetime="{when}" class="time">10:00</time></a></span>'
            f"</div></div></div></div></div>\n")


def own_text(html: str) -> str:
    return f'<div class="tgme_widget_message_text js-message_text" dir="auto">{html}</div>'


def read(path, reader=None):
    reader = reader or TmeHtmlReader()
    return list(reader.read(path, path.name)), reader.stats[path.name]


def test_a_post_its_ids_text_time_views_and_entities(write):
    path = write("chan.html", saved_page(post(7, own_text(
        '<i class="emoji"><b>🤖</b></i> Hello<br/><a href="?q=%23news">#news</a> '
        '<a href="https://t.me/other">@other</a> <a href="https://x.org/" target="_blank">read</a>'))))
    (found,), stats = read(path)
    assert (found.channel, found.channel_id, found.message_id) == ("chan", "1234567", "7")
    assert found.text == "🤖 Hello\n#news @other read"
    assert found.published_at == datetime(2025, 4, 3, 10, tzinfo=UTC) and found.date_source == "platform"
    assert (found.views, found.views_approximate) == (1200, True) and found.author == "The Channel"
    assert found.hashtags == [(8, "news")] and found.mentions[0].username == "other"
    assert [(link.url, link.label) for link in found.links] == [("https://x.org/", "read")]
    assert found.is_edited is False and stats["record_usage"] == {"post": 1, "service": 0, "rejected": 0, "excluded": 0}


def test_quotes_previews_and_the_fallback_are_not_the_text(write):
    reply = ('<a class="tgme_widget_message_reply" href="https://t.me/chan/5"><div class="tgme_widget_message_author">'
             '<span class="tgme_widget_message_author_name">The Channel</span></div>'
             '<div class="tgme_widget_message_metatext js-message_reply_text">The quoted post…</div>'
             '<div class="tgme_widget_message_text">quoted copy</div></a>')
    preview = ('<a class="tgme_widget_message_link_preview" href="https://x.org/"><div class="link_preview_title">'
               'Title</div><div class="link_preview_description">Preview text</div></a>')
    fallback = ('<div class="media_not_supported_cont"><div class="message_media_not_supported_wrap">'
                '<div class="message_media_not_supported"><div class="message_media_not_supported_label">Please open '
                'Telegram to view this post</div></div></div></div>')
    path = write("chan.html", saved_page(post(8, reply + '<div class="media_supported_cont">' + own_text("My answer")
                                              + preview + "</div>" + fallback)))
    (found,), _ = read(path)
    assert found.text == "My answer" and not found.has_media
    assert (found.reply_to_message_id, found.reply_to_chat_id) == ("5", None)
    assert (found.reply_to_author, found.reply_to_excerpt) == ("The Channel", "The quoted post…")


def test_withheld_posts_media_forwards_reactions_signatures_and_edits(write):
    withheld = ('<div class="message_media_not_supported_wrap"><div class="message_media_not_supported">'
                '<div class="message_media_not_supported_label">Please open Telegram to view this post</div>'
                '<a href="https://t.me/chan/9" class="message_media_view_in_telegram">VIEW IN TELEGRAM</a></div></div>')
    forward = ('<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from <a class="tgme_widget_message'
               '_forwarded_from_name" href="https://t.me/news/3"><span dir="auto">News</span></a></div>')
    video = ('<div class="media_supported_cont"><a class="tgme_widget_message_video_player js-message_video_player" '
             'href="https://t.me/chan/10"><div class="message_media_not_supported_label">This media is not supported '
             'in your browser</div></a>' + own_text("clip") + "</div>")
    reactions = ('<div class="tgme_widget_message_reactions"><span class="tgme_reaction tgme_reaction_paid"><i class='
                 '"icon"></i>2.49K</span><span class="tgme_reaction"><i class="emoji"><b>👍</b></i>23</span><span '
                 'class="tgme_reaction"><tg-emoji emoji-id="5265"></tg-emoji>7.76K</span></div>')
    signed = '<span class="tgme_widget_message_from_author" dir="auto">Bob</span>,&nbsp;edited &nbsp;'
    path = write("chan.html", saved_page(post(9, withheld, views="512"), post(10, forward + video + reactions,
                                                                          meta=signed)))
    hidden, shown = read(path)[0]
    assert (hidden.has_media, hidden.media_type, hidden.text) == (True, "unknown", "")
    assert (hidden.views, hidden.views_approximate) == (512, False)
    assert shown.forwarded_from == "News" and shown.media_type == "video" and shown.text == "clip"
    assert shown.reactions == [("paid", 2490, True), ("👍", 23), ("custom:5265", 7760, True)]
    assert shown.author == "Bob" and shown.is_edited is True and shown.edited_at is None


def test_polls_keep_the_percentages(write):
    poll = ('<div class="tgme_widget_message_poll js-poll"><div class="tgme_widget_message_poll_question">Yes?</div>'
            '<div class="tgme_widget_message_poll_type">Anonymous poll</div><a class="tgme_widget_message_poll_options">'
            + "".join(f'<div class="tgme_widget_message_poll_option"><div class="tgme_widget_message_poll_option_percent">'
                      f'{p}%</div><div class="tgme_widget_message_poll_option_value"><div class="tgme_widget_message_poll'
                      f'_option_text">{t}</div></div></div>' for t, p in (("yes", 70), ("no", 30)))
            + '</a></div><span class="tgme_widget_message_voters">1.2K votes</span>')
    (found,), _ = read(write("chan.html", saved_page(post(3, poll))))
    assert found.media_type == "poll" and found.text == ""
    assert (found.poll.question, found.poll.total_voters, found.poll.total_voters_approximate) == ("Yes?", 1200, True)
    assert [(o.text, o.votes, o.percent) for o in found.poll.options] == [("yes", None, 70), ("no", None, 30)]


def test_overlapping_pages_give_a_post_once_and_service_messages_are_counted(write, tmp_path):
    first = write("page1.html", saved_page(post(1, own_text("Channel created"), service=True), post(2, own_text("a")),
                                           post(3, own_text("b"))))
    second = write("page2.html", saved_page(post(3, own_text("b")), post(4, own_text("c"))))
    result = convert([first, second], tmp_path / "out")
    texts = pq.read_table(tmp_path / "out" / "posts.parquet").column("text").to_pylist()
    assert texts == ["a", "b", "c"]
    assert result.inputs[0].facts["record_usage"] == {"post": 2, "service": 1, "rejected": 0, "excluded": 0}
    assert result.inputs[1].facts["record_usage"] == {"post": 1, "service": 0, "rejected": 0, "excluded": 0, "repeated": 1}


def test_a_post_without_a_date_is_a_reject_and_a_cut_page_keeps_what_it_has(write):
    page = saved_page(post(1, own_text("fine")), post(2, own_text("undated"), when=""))
    records, stats = read(write("chan.html", page[:page.rindex("</section>")]))
    posts = [r for r in records if isinstance(r, Post)]
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [p.text for p in posts] == ["fine"] and posts[0].is_truncated and stats["truncated"]
    assert [r.reason for r in rejects][0] == "no date" and "truncated copy" in rejects[1].reason


@pytest.mark.parametrize(("content", "message"), [
    (saved_page(), "a t.me/s page with no posts"),
    ('<!DOCTYPE html><html><body><div class="tgme_page">gone</div></body></html>', "a t.me/s page with no posts"),
    ("<!DOCTYPE html><html><body><p>Another site</p></body></html>", "not a saved t.me/s page"),
])
def test_pages_without_posts_are_refused(write, content, message):
    with pytest.raises(InputError, match=message):
        read(write("chan.html", content))


def test_the_saved_sample_page():
    if not DUROV.exists():
        pytest.skip(f"sample {DUROV} is absent")
    assert detect_format(DUROV) == "tme-html"
    records, stats = read(DUROV)
    assert stats["record_usage"] == {"post": 20, "service": 0, "rejected": 0, "excluded": 0}
    assert all(p.channel == "durov" and p.channel_id == "1006503122" and p.published_at for p in records)
    first = records[0]
    assert first.message_id == "519" and first.text.startswith("🤖 Your Telegram inbox can now run itself.")
    assert (first.views, first.views_approximate, first.media_type) == (8670000, True, "video")
    assert first.reactions[0] == ("paid", 2490, True) and first.author == "Pavel Durov"
    assert sum(p.is_edited for p in records) >= 1 and sum(p.media_type == "photo" for p in records) >= 1
    assert not any("Please open Telegram" in p.text or "VIEW IN TELEGRAM" in p.text for p in records)
