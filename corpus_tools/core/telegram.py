"""What Telegram itself writes into the sources: the web preview's interface strings and markers.

They are platform facts, not any one reader's: the telegram-text reader recognises them, the entities
step finds lost link labels, validation checks that no interface string reached a post, and synth
writes them into synthetic dumps.
"""

from __future__ import annotations

# Interface strings of the web preview (t.me/s/CHANNEL); they never belong in a post's text.
MEDIA_UNSUPPORTED = "This media is not supported in your browser"
CONTENT_WITHHELD = "Please open Telegram to view this post"
VIEW_IN_TELEGRAM = "VIEW IN TELEGRAM"
INTERFACE_STRINGS = (MEDIA_UNSUPPORTED, CONTENT_WITHHELD, VIEW_IN_TELEGRAM)
# The header line of a forwarded post.
FORWARD_PREFIX = "Forwarded from "
# What the preview ends a cut excerpt (a reply quote) with.
ELLIPSIS = "…"
# Labels of links whose URL a flat-text scrape lost: a line saying only this (after any emoji).
LOST_LINK_LABELS = ("Read in full",)
