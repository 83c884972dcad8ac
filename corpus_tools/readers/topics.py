"""Forum topics: which topic (thread) of a forum supergroup each post is in.

In a forum, a message posted in a topic replies, as far as the platform's fields go, to the topic's
creation message (a service message), and a reply inside the topic replies to its message as usual.
Exports record only that reply, so a reader hands every post to ``Topics.place``: a "reply" to a
topic's creation message becomes the post's ``topic_id`` (and ``topic_title``) and is no longer a
reply; a reply to a message that is in a topic is in the same topic. Sources that name the topic
themselves (Telethon's ``reply_to_top_id``) set ``topic_id`` before, and get the title here.

>>> from corpus_tools.core.records import Post
>>> topics = Topics()
>>> topics.created("7", "10", "Help")
>>> post = Post(channel="c", channel_id="7", message_id="11", text="hi", source_file="f", reply_to_message_id="10")
>>> topics.place(post); (post.topic_id, post.topic_title, post.reply_to_message_id)
('10', 'Help', None)
>>> answer = Post(channel="c", channel_id="7", message_id="12", text="yes", source_file="f", reply_to_message_id="11")
>>> topics.place(answer); (answer.topic_id, answer.reply_to_message_id)
('10', '11')
"""

from __future__ import annotations

from ..core.records import Post


class Topics:
    """The topics seen so far, per chat: each topic's creation message id and title, and the topic
    of every message seen in one (only those, so memory grows with the forum's messages alone)."""

    def __init__(self) -> None:
        self._titles: dict[str, dict[str, str | None]] = {}
        self._members: dict[str, dict[str, str]] = {}

    def created(self, chat: str, message_id: str, title: str | None) -> None:
        """Message ``message_id`` of ``chat`` created a topic named ``title``."""
        self._titles.setdefault(chat, {})[message_id] = title

    def place(self, post: Post) -> None:
        """Set the post's topic from its reply (see the module doc) and remember it for later replies."""
        chat = post.channel_id or post.channel
        titles = self._titles.get(chat, {})
        target = post.reply_to_message_id if post.reply_to_chat_id is None else None
        if post.topic_id is None and target is not None:
            if target in titles:
                post.topic_id, post.reply_to_message_id = target, None
            else:
                post.topic_id = self._members.get(chat, {}).get(target)
        if post.topic_id is None:
            return
        if post.topic_title is None:
            post.topic_title = titles.get(post.topic_id)
        if post.message_id is not None:
            self._members.setdefault(chat, {})[post.message_id] = post.topic_id
