"""Post ids: how a post is named in every table, whatever format it came from.

A source that numbers its messages gives ``CHANNEL/MESSAGE`` (the channel's numeric id where the
source has it: titles change and collide); a source without numbers (text dumps) gives
``CHANNEL/text-HASH``, a hash of the post's text. Both are stable across rebuilds of the same input.
"""

from __future__ import annotations

import hashlib


def native_post_id(channel: str, message_id: str) -> str:
    """The id of a post whose source numbers messages: unique across channels converted together.

    >>> native_post_id("1878264527", "805")
    '1878264527/805'
    """
    return f"{channel}/{message_id}"


def text_post_id(channel: str, text: str) -> str:
    """The id of a post from a source without message ids: channel plus a hash of its text.

    Stable across rebuilds of the same input, and unchanged when other posts are added or removed.

    >>> text_post_id("MFARussia", "Hello")
    'MFARussia/text-1447d408fe5ddbb6'
    """
    digest = hashlib.sha256(f"{channel}\n{text}".encode()).hexdigest()
    return f"{channel}/text-{digest[:16]}"
