"""Ids: every post gets its ``post_id``, and every reply by message id its candidate ``reply_to_post_id``.

Readers fill what their format says (channel, channel id, message id, the id of the message replied
to); this step names posts from it, the same way for every format (``core.ids``). A reply's
candidate is the id the answered post would have; whether that post is in the dataset is known only
once every input has been read, so ``references`` unlinks the candidates that name no post.
"""

from __future__ import annotations

from ...core.ids import native_post_id, text_post_id
from ...core.records import Post
from .base import Step


class AssignPostIds(Step):
    """Give every post its ``post_id`` and every reply by message id its candidate ``reply_to_post_id``.

    Text-hash ids of posts whose text repeats in the same channel get a suffix in source order ('-2',
    '-3'), so ids stay unique while the duplicate texts remain visible to the duplicate checks.

    >>> post = Post(channel="c", text="t", source_file="f", channel_id="7", message_id="2", reply_to_message_id="1")
    >>> post = AssignPostIds().process(post)
    >>> post.post_id, post.reply_to_post_id
    ('7/2', '7/1')
    """

    name = "assign_post_ids"

    def __init__(self) -> None:
        super().__init__()
        self._issued: dict[str, int] = {}

    def process(self, post: Post) -> Post:
        if post.reply_to_message_id is not None and post.reply_to_post_id is None:
            chat = post.reply_to_chat_id or post.channel_id or post.channel
            post.reply_to_post_id = native_post_id(chat, post.reply_to_message_id)
        if post.post_id:
            return post
        if post.message_id is not None:
            post.post_id = native_post_id(post.channel_id or post.channel, post.message_id)
            return post
        base = text_post_id(post.channel, post.text)
        seen = self._issued.get(base, 0) + 1
        self._issued[base] = seen
        post.post_id = base if seen == 1 else f"{base}-{seen}"
        if seen > 1:
            self.stats["repeated_text_suffixed"] += 1
        return post
