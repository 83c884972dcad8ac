"""telegram-html: Telegram Desktop's HTML export, from small pages written here and from the real
export in the shared samples (which must equal the JSON export of the same channel)."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest

from corpus_tools.convert.run import convert
from corpus_tools.core.records import Post, Reject
from corpus_tools.errors import InputError
from corpus_tools.readers import detect_format, expand_inputs
from corpus_tools.readers.base import ReaderOptions
from corpus_tools.readers.telegram_html import TelegramHtmlReader
from corpus_tools.readers.timestamps import parse_zone
from tests.conftest import SAMPLES

HTML_SAMPLE = SAMPLES / "telegram_desktop_html" / "public-channel-2023-2025.messages.html"
JSON_SAMPLE = SAMPLES / "telegram_desktop" / "public-channel-2023-2025.result.json"


def page(*messages: str, chat: str = "Test Chat", before: str = "", after: str = "", end: str = "</html>\n") -> str:
    """A page of an export as Telegram Desktop writes it, holding ``messages``."""
    previous = f'<a class="pagination block_link" href="{before}">Previous messages</a>' if before else ""
    following = f'<a class="pagination block_link" href="{after}">Next messages</a>' if after else ""
    return (f'<!DOCTYPE html>\n<html>\n <head>\n  <meta charset="utf-8"/>\n<title>Exported Data</title>\n </head>\n'
            f' <body onload="CheckLocation();">\n  <div class="page_wrap">\n   <div class="page_header">\n'
            f'    <div class="content">\n     <div class="text bold">\n{chat}\n     </div>\n    </div>\n   </div>\n'
            f'   <div class="page_body chat_page">\n    <div class="history">\n{previous}'
            + "".join(messages) + f"{following}\n    </div>\n   </div>\n  </div>\n </body>\n" + end)


def message(number: int, body: str, *, time: str = "25.01.2025 20:21:57 UTC+08:00", sender: str | None = "Alice",
            joined: bool = False) -> str:
    name = f'\n<div class="from_name">\n{sender} \n</div>\n' if sender and not joined else ""
    return (f'<div class="message default clearfix{" joined" if joined else ""}" id="message{number}">\n'
            f'<div class="body">\n<div class="pull_right date details" title="{time}">\n20:21\n</div>\n{name}'
            f"{body}\n</div>\n</div>\n")


def service(number: int, text: str) -> str:
    return f'<div class="message service" id="message{number}">\n<div class="body details">\n{text}\n</div>\n</div>\n'


def text(html: str) -> str:
    return f'<div class="text">\n{html}\n       </div>\n'


def read(path, **options):
    reader = TelegramHtmlReader(ReaderOptions(**options))
    return list(reader.read(path, path.name)), reader.stats[path.name]


def test_a_message_its_text_time_sender_and_entities(write):
    path = write("messages.html", page(message(5, text(
        'Line one<br>see <a href="https://x.org/a">this</a> and <a href="x.org">x.org</a>, '
        '<a href="" onclick="return ShowHashtag(&quot;tag&quot;)">#tag</a> '
        '<a href="https://t.me/someone">@someone</a> <a href="mailto:a@b.c">a@b.c</a> <strong>bold</strong>'))))
    (post,), stats = read(path)
    assert post.channel == "Test Chat" and post.message_id == "5" and post.author == "Alice"
    assert post.text == "Line one\nsee this and x.org, #tag @someone a@b.c bold"
    assert post.published_at == datetime(2025, 1, 25, 12, 21, 57, tzinfo=UTC) and post.date_source == "platform"
    assert post.published_local == "2025-01-25T20:21:57" and post.is_edited is None
    assert post.hashtags == [(29, "tag")] and [m.shown_as for m in post.mentions] == ["@someone"]
    assert [(link.url, link.label, link.offset) for link in post.links] == [
        ("https://x.org/a", "this", 13), ("x.org", None, 22)]
    assert stats["record_usage"] == {"post": 1, "service": 0, "rejected": 0, "excluded": 0}


def test_joined_messages_inherit_the_sender_and_signatures_are_authors(write):
    path = write("messages.html", page(
        message(1, text("first")), message(2, text("second"), joined=True),
        message(3, text("signed") + '<div class="signature details">\nBob\n</div>', sender="Channel")))
    posts, _ = read(path)
    assert [p.author for p in posts] == ["Alice", "Alice", "Bob"]


def test_service_messages_are_counted_day_headers_skipped_and_topics_kept(write):
    path = write("messages.html", page(
        service(-1, "25 January 2025"), service(10, "Alice created topic «Help desk»"),
        message(11, '<div class="reply_to details">\nIn reply to <a href="#go_to_message10" '
                    'onclick="return GoToMessage(10)">this message</a>\n</div>\n' + text("in the topic")),
        message(12, '<div class="reply_to details">\nIn reply to <a href="#go_to_message11" '
                    'onclick="return GoToMessage(11)">this message</a>\n</div>\n' + text("a reply in it"))))
    posts, stats = read(path)
    assert stats["record_usage"] == {"post": 2, "service": 1, "rejected": 0, "excluded": 0}
    assert [(p.topic_id, p.topic_title, p.reply_to_message_id) for p in posts] == [
        ("10", "Help desk", None), ("10", "Help desk", "11")]


def test_forwards_replies_across_pages_media_and_reactions(write):
    forwarded = ('<div class="pull_left forwarded userpic_wrap"></div>\n<div class="forwarded body">\n'
                 '<div class="from_name">\nNews Channel <span class="date details" title="01.01.2025 10:00:00 '
                 'UTC+03:00"> 01.01.2025 10:00:00</span>\n</div>\n' + text("forwarded text") + "</div>\n")
    path = write("messages2.html", page(
        message(1001, forwarded),
        message(1002, forwarded.replace('<div class="from_name">\nNews Channel ', '<div class="x">'), joined=True),
        message(1003, '<div class="reply_to details">\nIn reply to <a href="messages.html#go_to_message7">this '
                      'message</a>\n</div>\n<div class="media_wrap clearfix">\n<a class="photo_wrap clearfix '
                      'pull_left" href="photos/p.jpg"><img class="photo" src="photos/p_thumb.jpg"/></a>\n</div>\n'
                      '<span class="reactions"><span class="reaction"><span class="emoji">\n👍\n</span>'
                      '<span class="count">\n3\n</span></span><span class="reaction paid"><span class="emoji">⭐'
                      '</span><span class="count">2</span></span></span>'),
        message(1004, '<div class="media_wrap clearfix">\n<a class="media clearfix pull_left block_link media_video" '
                      'href="v.mp4"><div class="fill pull_left"></div><div class="body"><div class="title bold">'
                      'Animation</div></div></a>\n</div>\n'),
        message(1005, '<div class="media_wrap clearfix">\n<div class="media clearfix pull_left media_voice_message">'
                      '<div class="body"><div class="title bold">Voice message</div></div></div>\n</div>\n'),
        before="messages.html"))
    write("messages.html", page(message(7, text("earlier"))))
    posts, _ = read(path)
    assert [p.forwarded_from for p in posts[:2]] == ["News Channel", "News Channel"]
    assert posts[0].text == "forwarded text"
    assert posts[2].reply_to_message_id == "7" and posts[2].media_type == "photo" and posts[2].has_media
    assert posts[2].reactions == [("👍", 3), ("paid", 2)]
    assert [p.media_type for p in posts[3:]] == ["animation", "voice"]


def test_polls_keep_question_options_and_votes(write):
    poll = ('<div class="media_wrap clearfix">\n<div class="media_poll">\n<div class="question bold">\nTea or coffee?'
            '\n</div>\n<div class="details">\nFinal results\n</div>\n<div class="answer">\n- Tea <span class="details">'
            '2 votes</span>\n</div>\n<div class="answer">\n- Coffee <span class="details">1 vote, chosen vote</span>\n'
            '</div>\n<div class="answer">\n- Water\n</div>\n<div class="total details\t">\n3 votes\n</div>\n</div>\n'
            '</div>\n')
    (post,), _ = read(write("messages.html", page(message(1, poll))))
    assert post.media_type == "poll" and post.text == ""
    assert (post.poll.question, post.poll.closed, post.poll.total_voters) == ("Tea or coffee?", True, 3)
    assert [(o.text, o.votes) for o in post.poll.options] == [("Tea", 2), ("Coffee", 1), ("Water", 0)]


def test_times_without_offset_need_tz(write):
    path = write("messages.html", page(message(1, text("old"), time="01.03.2022 10:00:00")))
    (post,), _ = read(path)
    assert post.published_at is None and post.published_local == "2022-03-01T10:00:00"
    (post,), _ = read(path, tz=parse_zone("Europe/Moscow"))
    assert post.published_at == datetime(2022, 3, 1, 7, tzinfo=UTC) and post.date_source == "platform_local"


def test_bad_messages_are_rejects_and_a_cut_page_keeps_what_it_has(write):
    path = write("messages.html", page(message(1, text("fine")), message(2, text("no date"), time=""),
                                       message(3, text("cut her"))).rsplit("</div>", 4)[0])
    records, stats = read(path)
    posts = [r for r in records if isinstance(r, Post)]
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [p.text for p in posts] == ["fine", "cut her"] and posts[-1].is_truncated
    assert [r.reason for r in rejects][0] == "no date" and "truncated copy" in rejects[1].reason
    assert stats["truncated"] is True


def test_a_missing_page_is_named(write):
    first = write("messages.html", page(message(1, text("one")), after="messages2.html"))
    write("messages3.html", page(message(2001, text("three")), before="messages2.html"))
    reader = TelegramHtmlReader()
    records = list(reader.read(first, "messages.html")) + list(reader.read(first.parent / "messages3.html", "3"))
    rejects = [r for r in records if isinstance(r, Reject)]
    assert len(rejects) == 1 and "page messages2.html of this export is missing" in rejects[0].reason


def test_other_html_is_refused(write):
    with pytest.raises(InputError, match="not a page of a Telegram Desktop export"):
        read(write("page.html", "<!DOCTYPE html><html><body><p>A blog</p></body></html>"))


def test_an_export_folder_converts_in_page_order(tmp_path):
    folder = tmp_path / "ChatExport"
    folder.mkdir()
    for number, first_id in ((1, 1), (2, 1001), (10, 9001)):
        name = "messages.html" if number == 1 else f"messages{number}.html"
        (folder / name).write_text(page(message(first_id, text(f"page {number}"))), encoding="utf-8")
    assert [p.name for p in expand_inputs([folder])] == ["messages.html", "messages2.html", "messages10.html"]
    assert detect_format(folder / "messages2.html") == "telegram-html"
    result = convert([folder], tmp_path / "out")
    texts = pq.read_table(tmp_path / "out" / "posts.parquet").column("text").to_pylist()
    assert texts == ["page 1", "page 2", "page 10"] and result.inputs[0].format == "telegram-html"


# --- the real export: the same posts as the JSON export of the same channel -----------------------

@pytest.fixture(scope="module")
def both(tmp_path_factory):
    if not (HTML_SAMPLE.exists() and JSON_SAMPLE.exists()):
        pytest.skip("the shared Telegram Desktop samples are absent")
    root = tmp_path_factory.mktemp("desktop")
    tables = {}
    for name, path in (("html", HTML_SAMPLE), ("json", JSON_SAMPLE)):
        convert([path], root / name)
        tables[name] = {table: pq.read_table(root / name / f"{table}.parquet").to_pylist()
                        for table in ("posts", "hashtags", "links", "reactions", "poll_options", "polls")}
    return tables


def by_message(tables, table):
    ids = {p["post_id"]: p["message_id"] for p in tables["posts"]}
    found: dict[str, list] = {}
    for row in tables[table]:
        found.setdefault(ids[row["post_id"]], []).append({k: v for k, v in row.items() if k != "post_id"})
    return found


def test_sample_html_export_is_detected_and_read_whole(both):
    assert detect_format(HTML_SAMPLE) == "telegram-html"
    assert len(both["html"]["posts"]) == 908 and len(both["html"]["polls"]) == 1


@pytest.mark.parametrize("field", ["text", "published_at", "published_local", "forwarded_from", "author",
                                   "reply_to_message_id", "has_media", "media_type"])
def test_sample_html_equals_json_on_the_messages_both_hold(both, field):
    html = {p["message_id"]: p for p in both["html"]["posts"]}
    shared = [p for p in both["json"]["posts"] if p["message_id"] in html]
    assert len(shared) == 299
    # The HTML export names no message a reply into another chat answers ("In reply to a message in
    # another chat"), so those replies are compared only as far as the HTML goes.
    comparable = [p for p in shared if not (field == "reply_to_message_id" and p["reply_to_chat_id"])]
    assert [html[p["message_id"]][field] for p in comparable] == [p[field] for p in comparable]


@pytest.mark.parametrize("table", ["hashtags", "links", "reactions", "polls", "poll_options"])
def test_sample_html_entities_equal_json(both, table):
    html, json_ = by_message(both["html"], table), by_message(both["json"], table)
    shared = {p["message_id"] for p in both["json"]["posts"]}
    assert {m: rows for m, rows in html.items() if m in shared} == json_


def test_a_groups_senders_are_pseudonymised_by_name_a_channels_posts_stay_named(write, tmp_path):
    """The export gives no user ids: a sender other than the chat is a group member, a person, and
    the name itself is pseudonymised (keyed, as ids are); a channel's own posts keep its name."""
    (tmp_path / "group").mkdir()
    (tmp_path / "channel").mkdir()
    group = write("group/messages.html", page(message(1, text("hi")), message(2, text("yo"), sender="Bob"),
                                             message(3, text("again"), joined=True), chat="Reading club"))
    posts, _ = read(group)
    assert [(p.author, p.author_unidentified) for p in posts] == [("Alice", True), ("Bob", True), ("Bob", True)]
    convert([group], tmp_path / "group-out")
    authors = [row["author"] for row in pq.read_table(tmp_path / "group-out" / "posts.parquet").to_pylist()]
    assert authors[0].startswith("person:") and authors[0] != authors[1] == authors[2]
    channel = write("channel/messages.html", page(message(1, text("news"), sender="Test Chat")))
    (post,), _ = read(channel)
    assert post.author == "Test Chat" and not post.author_unidentified
    convert([channel], tmp_path / "channel-out")
    assert pq.read_table(tmp_path / "channel-out" / "posts.parquet").column("author").to_pylist() == ["Test Chat"]
