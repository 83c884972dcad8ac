"""Synthetic HTML inputs for the benchmark of the HTML readers: a multi-page Telegram Desktop HTML
export and a folder of saved t.me/s pages, laid out as the real ones are (see docs/formats.md).

    python benchmarks/html_inputs.py desktop N FOLDER   # messages.html, messages2.html, ... (1000 a page)
    python benchmarks/html_inputs.py tme N FOLDER       # page0001.html, ... (20 posts a page)

Messages mix what real channels hold: text with line breaks, links, hashtags and mentions, photos,
videos, joined messages, forwards, replies (some to earlier pages), reactions, signatures, a poll now
and then. The same N gives the same files (seeded).
"""

from __future__ import annotations

import base64
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

WORDS = ("the minister met his colleague to discuss cooperation trade energy security talks statement "
         "embassy delegation agreement region negotiations press conference report sanctions").split()
PER_PAGE, PER_TME_PAGE = 1000, 20
START = datetime(2024, 1, 1, tzinfo=UTC)


def _body(rng: random.Random, *, tme: bool) -> str:
    lines = []
    for _ in range(rng.randint(1, 5)):
        words = [escape(rng.choice(WORDS)) for _ in range(rng.randint(5, 30))]
        if rng.random() < 0.3:
            words.append(f'<a href="https://example.org/{rng.randint(1, 10**6)}">source</a>')
        if rng.random() < 0.3:
            tag = rng.choice(WORDS)
            words.append(f'<a href="?q=%23{tag}">#{tag}</a>' if tme else
                         f'<a href="" onclick="return ShowHashtag(&quot;{tag}&quot;)">#{tag}</a>')
        if rng.random() < 0.1:
            words.append('<a href="https://t.me/somechannel">@somechannel</a>')
        lines.append(" ".join(words))
    return ("<br>" if not tme else "<br/>").join(lines)


def desktop_message(rng: random.Random, number: int, when: datetime, *, joined: bool) -> str:
    parts = []
    if rng.random() < 0.1:
        parts.append('<div class="pull_left forwarded userpic_wrap"></div>\n<div class="forwarded body">\n'
                     '<div class="from_name">\nNews Agency <span class="date details" title="01.01.2024 10:00:00 '
                     'UTC+03:00"> 01.01.2024 10:00:00</span>\n</div>\n')
    if rng.random() < 0.1 and number > 1:
        target = rng.randint(max(1, number - 3000), number - 1)
        page = (target - 1) // PER_PAGE + 1
        href = f"{'messages.html' if page == 1 else f'messages{page}.html'}#go_to_message{target}"
        parts.append(f'<div class="reply_to details">\nIn reply to <a href="{href}">this message</a>\n</div>\n')
    if rng.random() < 0.4:
        parts.append('<div class="media_wrap clearfix">\n<a class="photo_wrap clearfix pull_left" href="photos/p.jpg">'
                     '\n<img class="photo" src="photos/p_thumb.jpg" style="width: 260px; height: 138px"/>\n</a>\n'
                     '</div>\n')
    parts.append(f'<div class="text">\n{_body(rng, tme=False)}\n       </div>\n')
    if rng.random() < 0.5:
        parts.append('<div class="signature details">\nPress office\n</div>\n')
    if parts[0].startswith('<div class="pull_left forwarded'):
        parts.append("</div>\n")
    if rng.random() < 0.5:
        parts.append('<span class="reactions">\n' + "".join(
            f'<span class="reaction">\n<span class="emoji">\n{e}\n</span>\n<span class="count">\n'
            f'{rng.randint(1, 500)}\n</span>\n</span>\n' for e in rng.sample(["👍", "❤", "🔥", "😁"], 2)) + "</span>\n")
    name = "" if joined else '<div class="from_name">\nThe Channel \n</div>\n'
    userpic = "" if joined else '<div class="pull_left userpic_wrap">\n<div class="userpic userpic6"></div>\n</div>\n'
    return (f'     <div class="message default clearfix{" joined" if joined else ""}" id="message{number}">\n'
            f'{userpic}<div class="body">\n<div class="pull_right date details" '
            f'title="{when.strftime("%d.%m.%Y %H:%M:%S")} UTC+00:00">\n{when.strftime("%H:%M")}\n</div>\n{name}'
            + "".join(parts) + "</div>\n</div>\n")


def desktop(n: int, folder: Path) -> None:
    rng = random.Random(1)
    folder.mkdir(parents=True, exist_ok=True)
    pages = (n + PER_PAGE - 1) // PER_PAGE
    for page in range(1, pages + 1):
        head = ('<!DOCTYPE html>\n<html>\n <head>\n  <meta charset="utf-8"/>\n<title>Exported Data</title>\n </head>\n'
                ' <body onload="CheckLocation();">\n  <div class="page_wrap">\n   <div class="page_header">\n'
                '    <div class="content">\n     <div class="text bold">\nThe Channel\n     </div>\n    </div>\n'
                '   </div>\n   <div class="page_body chat_page">\n    <div class="history">\n')
        if page > 1:
            head += f'<a class="pagination block_link" href="{_page_name(page - 1)}">Previous messages</a>\n'
        messages = []
        for k in range((page - 1) * PER_PAGE + 1, min(n, page * PER_PAGE) + 1):
            when = START + timedelta(minutes=7 * k)
            messages.append(desktop_message(rng, k, when, joined=k % PER_PAGE != 1 and rng.random() < 0.3))
        tail = f'<a class="pagination block_link" href="{_page_name(page + 1)}">Next messages</a>\n' \
            if page < pages else ""
        (folder / _page_name(page)).write_text(head + "".join(messages) + tail +
                                               "    </div>\n   </div>\n  </div>\n </body>\n</html>\n", encoding="utf-8")


def _page_name(page: int) -> str:
    return "messages.html" if page == 1 else f"messages{page}.html"


def tme_post(rng: random.Random, number: int, when: datetime) -> str:
    view = base64.urlsafe_b64encode(json.dumps({"c": -1234567, "p": number}).encode()).decode().rstrip("=")
    media = ('<a class="tgme_widget_message_photo_wrap" href="https://t.me/chan/1" style="width:800px;"></a>'
             if rng.random() < 0.4 else "")
    reply = ('<a class="tgme_widget_message_reply" href="https://t.me/chan/1"><div class="tgme_widget_message_author">'
             '<span class="tgme_widget_message_author_name">The Channel</span></div><div class="tgme_widget_message_'
             'metatext js-message_reply_text">An earlier post…</div></a>' if rng.random() < 0.1 else "")
    reactions = "".join(f'<span class="tgme_reaction"><i class="emoji"><b>{e}</b></i>{rng.randint(1, 99)}.{rng.randint(1, 9)}K'
                        "</span>" for e in rng.sample(["👍", "❤", "🔥"], 2))
    return (f'<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message '
            f'text_not_supported_wrap js-widget_message" data-post="chan/{number}" data-view="{view}">'
            f'<div class="tgme_widget_message_bubble"><div class="tgme_widget_message_author accent_color">'
            f'<a class="tgme_widget_message_owner_name" href="https://t.me/chan"><span dir="auto">The Channel</span>'
            f'</a></div>{reply}<div class="media_supported_cont">{media}<div class="tgme_widget_message_text '
            f'js-message_text" dir="auto">{_body(rng, tme=True)}</div></div><div class="media_not_supported_cont">'
            '<div class="message_media_not_supported_wrap"><div class="message_media_not_supported"><div class='
            '"message_media_not_supported_label">Please open Telegram to view this post</div><a href="https://t.me/'
            f'chan/{number}" class="message_media_view_in_telegram">VIEW IN TELEGRAM</a></div></div></div>'
            f'<div class="tgme_widget_message_reactions js-message_reactions">{reactions}</div>'
            f'<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info '
            f'short js-message_info"><span class="tgme_widget_message_views">{rng.randint(1, 999)}.{rng.randint(1, 9)}'
            f'K</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta"><a class="tgme_widget'
            f'_message_date" href="https://t.me/chan/{number}"><time datetime="{when.isoformat()}" class="time">'
            f"{when.strftime('%H:%M')}</time></a></span></div></div></div></div></div>\n")


def tme(n: int, folder: Path) -> None:
    rng = random.Random(1)
    folder.mkdir(parents=True, exist_ok=True)
    for page in range((n + PER_TME_PAGE - 1) // PER_TME_PAGE):
        posts = [tme_post(rng, k, START + timedelta(minutes=7 * k))
                 for k in range(page * PER_TME_PAGE + 1, min(n, (page + 1) * PER_TME_PAGE) + 1)]
        (folder / f"page{page + 1:05d}.html").write_text(
            '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>The Channel – Telegram</title></head>\n'
            '<body>\n<section class="tgme_channel_history js-message_history">\n' + "".join(posts)
            + "</section>\n</body>\n</html>\n", encoding="utf-8")


if __name__ == "__main__":
    kind, count, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    {"desktop": desktop, "tme": tme}[kind](count, out)
