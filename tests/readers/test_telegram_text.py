"""The telegram-text reader: each rule of the web-preview dump, on small dumps written here."""

from __future__ import annotations

import pytest

from corpus_tools.core.records import Post, Reject
from corpus_tools.errors import InputError
from corpus_tools.readers.base import ReaderOptions
from corpus_tools.readers.telegram_text import TelegramTextReader, merge_renderings


def read(path, channel="chan"):
    reader = TelegramTextReader(ReaderOptions(channel=channel))
    records = list(reader.read(path, path.name))
    return records, reader.stats[path.name]


def posts_of(records):
    return [r for r in records if isinstance(r, Post)]


# Two plain posts, each in its two renderings (headline + body, then body again).
TWO_POSTS = """\
First headline of the first post here
The first body paragraph is long enough.
The second body paragraph is long too.
The first body paragraph is long enough.
The second body paragraph is long too.
Second post headline, another story
Another body paragraph, long as well.
Another body paragraph, long as well.
"""


def test_two_renderings_merge_into_one_post_each(write):
    records, stats = read(write("d.txt", TWO_POSTS))
    posts = posts_of(records)
    assert [p.text.split("\n") for p in posts] == [
        ["First headline of the first post here", "The first body paragraph is long enough.",
         "The second body paragraph is long too."],
        ["Second post headline, another story", "Another body paragraph, long as well."],
    ]
    assert [(p.source_line_start, p.source_line_end) for p in posts] == [(1, 5), (6, 8)]
    assert stats["line_usage"]["merged_duplicate"] == 3
    assert stats["line_usage"]["post_text"] == 5


def test_lines_only_one_rendering_has_are_kept_in_order(write):
    # Rendering 1 leaves the quote out; rendering 2 has it but lacks the headline and a closing line.
    dump = """\
Headline of a post that quotes someone
The minister said the following words:
Our position on this matter is well known.
#Hashtag
The minister said the following words:
This is the quoted passage that only rendering two shows.
Our position on this matter is well known.
"""
    (post,), _ = read(write("d.txt", dump))
    assert post.text.split("\n") == [
        "Headline of a post that quotes someone",
        "The minister said the following words:",
        "This is the quoted passage that only rendering two shows.",
        "Our position on this matter is well known.",
        "#Hashtag",
    ]


def test_divider_is_not_a_post_boundary(write):
    dump = """\
Headline of the post with two sections
Section one has a long enough paragraph.
***
Section two has a long enough paragraph.
Section one has a long enough paragraph.
***
Section two has a long enough paragraph.
"""
    records, _ = read(write("d.txt", dump))
    (post,) = posts_of(records)
    assert post.text.split("\n")[1:] == ["Section one has a long enough paragraph.", "***",
                                         "Section two has a long enough paragraph."]


def test_short_lines_at_the_start_of_the_second_rendering(write):
    dump = """\
Opening remarks by the minister (Moscow)
Colleagues,
Friends,
We are pleased to welcome you here today.
Colleagues,
Friends,
We are pleased to welcome you here today.
"""
    (post,), stats = read(write("d.txt", dump))
    assert post.text.split("\n") == ["Opening remarks by the minister (Moscow)", "Colleagues,", "Friends,",
                                     "We are pleased to welcome you here today."]
    assert stats["line_usage"]["merged_duplicate"] == 3


def test_link_labels_and_channel_ellipsis_stay_in_text(write):
    dump = """\
Statement by the spokeswoman on the matter
Read in full
The first paragraph of the statement text.
<...>
The last paragraph of the statement text.
Read in full
The first paragraph of the statement text.
<...>
The last paragraph of the statement text.
Read in full
"""
    (post,), _ = read(write("d.txt", dump))
    assert post.text.split("\n") == ["Statement by the spokeswoman on the matter", "Read in full",
                                     "The first paragraph of the statement text.", "<...>",
                                     "The last paragraph of the statement text.", "Read in full"]
    assert post.links is None  # left to the entities step, which records the labels as url-less links
    assert not post.is_truncated


def test_forward_header(write):
    dump = "Forwarded from MoD Russia\n" + TWO_POSTS
    records, stats = read(write("d.txt", dump))
    first, second = posts_of(records)
    assert first.forwarded_from == "MoD Russia" and second.forwarded_from is None
    assert first.source_line_start == 1
    assert "Forwarded" not in first.text
    assert stats["line_usage"]["forward_header"] == 1


def test_reply_quote_and_media_placeholder_belong_to_the_next_post(write):
    dump = TWO_POSTS + """\
Russian MFA 🇷🇺
First headline of the first post here The first body paragraph is long…
This media is not supported in your browser
VIEW IN TELEGRAM
A reply that carries a video, headline
The reply body paragraph, long enough.
The reply body paragraph, long enough.
"""
    records, stats = read(write("d.txt", dump))
    first, second, reply = posts_of(records)
    assert not first.has_media and not second.has_media
    assert reply.has_media and reply.media_type == "video"
    assert first.media_type is None
    assert reply.reply_to_author == "Russian MFA 🇷🇺"
    assert reply.reply_to_excerpt == "First headline of the first post here The first body paragraph is long…"
    assert reply.text.split("\n") == ["A reply that carries a video, headline", "The reply body paragraph, long enough."]
    assert (reply.source_line_start, reply.source_line_end) == (9, 15)
    assert stats["line_usage"]["reply_quote"] == 2
    assert stats["line_usage"]["interface_string"] == 2


def test_withheld_content_closes_the_post_before_it(write):
    dump = """\
Forwarded from Russian Mission Geneva
A forwarded post whose content was withheld
Its only paragraph, which the preview showed once.
Please open Telegram to view this post
VIEW IN TELEGRAM
""" + TWO_POSTS
    records, _ = read(write("d.txt", dump))
    withheld, first, second = posts_of(records)
    assert withheld.has_media and withheld.forwarded_from == "Russian Mission Geneva"
    assert withheld.media_type == "unknown"
    assert withheld.text.split("\n") == ["A forwarded post whose content was withheld",
                                         "Its only paragraph, which the preview showed once."]
    assert (withheld.source_line_start, withheld.source_line_end) == (1, 5)
    assert not first.has_media and first.source_line_start == 6
    for post in (withheld, first, second):
        assert "VIEW IN TELEGRAM" not in post.text and "Please open Telegram" not in post.text


@pytest.mark.parametrize(
    "dump",
    [
        # the second rendering stops before the first rendering's last line
        ("First headline of the first post here\nThe first body paragraph is long enough.\n"
        "The second body paragraph is long too.\nThe first body paragraph is long enough.\n"),
        # the file stops inside the first rendering: no second rendering at all
        "First headline of the first post here\nThe first body paragraph is long enough.\n",
    ],
)
def test_file_cut_inside_the_last_post_marks_it_truncated(write, dump):
    records, _ = read(write("d.txt", TWO_POSTS + dump))
    *complete, last = posts_of(records)
    assert [p.is_truncated for p in complete] == [False, False]
    assert last.is_truncated
    assert last.text.split("\n")[:2] == ["First headline of the first post here",
                                         "The first body paragraph is long enough."]


def test_truncated_only_when_the_file_really_ends_early(write):
    records, _ = read(write("d.txt", TWO_POSTS))
    assert [p.is_truncated for p in posts_of(records)] == [False, False]
    records, _ = read(write("cut.txt", TWO_POSTS.rstrip("\n")))  # same, no final newline
    assert [p.is_truncated for p in posts_of(records)] == [False, True]


def test_fragments_that_are_no_post_are_rejected_and_counted(write):
    dump = TWO_POSTS + "Forwarded from Someone\n"
    records, stats = read(write("d.txt", dump))
    rejects = [r for r in records if isinstance(r, Reject)]
    assert len(posts_of(records)) == 2
    (reject,) = rejects
    assert reject.location == "line 9"
    assert reject.reason == "forward header with no post after it"
    assert reject.raw == "Forwarded from Someone"
    assert stats["line_usage"]["rejected"] == 1


@pytest.mark.parametrize("dump", [TWO_POSTS, "\n\n" + TWO_POSTS.replace("\n", "\n\n")])
def test_line_accounting_adds_up(write, dump):
    _, stats = read(write("d.txt", dump))
    assert sum(stats["line_usage"].values()) == stats["lines"] == dump.count("\n")


def test_crlf_and_bom_are_handled(write):
    plain, _ = read(write("a.txt", TWO_POSTS))
    windows, _ = read(write("b.txt", b"\xef\xbb\xbf" + TWO_POSTS.replace("\n", "\r\n").encode()))
    assert [p.text for p in posts_of(windows)] == [p.text for p in posts_of(plain)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"name": "chan", "messages": []}', "looks like JSON"),
        ("<!DOCTYPE html><html></html>", "looks like HTML"),
        ("just some prose\nwith lines that never repeat\nand nothing else\n", "does not look like a telegram-text dump"),
    ],
)
def test_other_formats_are_refused_by_name(write, content, message):
    with pytest.raises(InputError, match=message):
        read(write("d.txt", content))


def test_channel_is_required(write):
    with pytest.raises(InputError, match="pass channel"):
        read(write("d.txt", TWO_POSTS), channel=None)


def test_merge_puts_headline_first_and_quotes_after_their_introduction():
    first = ["H", "intro:", "own line", "rest"]
    second = ["intro:", "quote", "rest"]
    merged = merge_renderings(first, second)
    assert [first[m] if isinstance(m, int) else second[m[0]] for m in merged] == \
        ["H", "intro:", "quote", "own line", "rest"]
