"""The shared message stream of a synthetic channel: posts, service messages and unsupported ones.

Every format writer renders this one stream, so a seed means the same corpus in every format.
Generation is streaming: messages are made one at a time, and only a bounded window of earlier
posts is kept (the last ``RECENT`` plus a reservoir sample of ``RESERVOIR`` older ones), from
which replies and planted duplicates take their targets. Memory stays flat at any size. A stream
makes one segment of a channel (see ``messages.segments``): replies and duplicates stay inside it.

Planted duplicates: exactly round(share x n) posts of a channel of n are exact and near
duplicates, chosen by selection sampling (each post is picked with probability copies owed /
posts left, its kind in proportion to what is owed of each), so the counts are known in advance
and the picks spread uniformly. A copy's source is an
original post with text and without a quote, never itself a copy; a near copy changes a few
words of a text of 60+ words in a space-separated language so that the Jaccard similarity of
5-word shingles lands in [0.8, 0.95].
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator

from . import vocab
from .draw import between, lognormal, pick
from .group import GroupLayer
from .messages import Forward, Media, Message, Person, Post, Ref, Segment, Service, Unsupported
from .persons import chat_type
from .text import BODY, HEADLINE, Paragraph, TextMaker, flat_prefix, jaccard, paragraph, post_text

RECENT = 256
RESERVOIR = 64
CAPTION_LIMIT = 1024  # Telegram's limit for a media caption; 4096 for a text message
TEXT_LIMIT = 4096
NEAR_MIN_WORDS = 60
NEAR_RANGE = (0.80, 0.95)
EXCERPT_CHARS = 72
FORWARD_SHARE = 0.08
REPLY_SHARE = 0.06


class ChannelStream:
    """The messages of one segment of a channel, oldest first; the first segment opens with the
    channel's creation. ``dump_safe`` keeps every post representable in a flat-text dump: a
    media-only post always has a forward header or reply quote to stand on. With ``members`` the
    chat is a group of those persons (see ``group``)."""

    def __init__(self, segment: Segment, *, seed: int, exact: float, near: float, dump_safe: bool,
                 members: tuple[Person, ...] = ()) -> None:
        self.segment = segment
        self.channel = segment.channel
        self.rng = random.Random(f"corpus-tools synth {seed} {segment.channel.index} {segment.number}")
        self.maker = TextMaker(self.rng)
        before, upto = segment.first_index, segment.first_index + segment.posts
        self.owed = {"exact": round(exact * upto) - round(exact * before),
                     "near": round(near * upto) - round(near * before)}
        self.dump_safe = dump_safe
        self.recent: deque[Post] = deque(maxlen=RECENT)
        self.reservoir: list[Post] = []
        self.evicted = 0
        self.group = GroupLayer(members, random.Random(f"corpus-tools synth people {seed} {segment.channel.index} "
                                                       f"{segment.number}")) if members else None

    def __iter__(self) -> Iterator[Message]:
        rng, seg = self.rng, self.segment
        gap = (seg.end - seg.start) / (seg.posts + 1)
        t, next_id = float(seg.start), seg.first_id - 1
        spare = (seg.id_limit - seg.first_id - seg.posts) if seg.id_limit else 1 << 62  # ids for extras
        if seg.number == 0:
            yield self._creation()
        index, last = seg.first_index, seg.first_index + seg.posts
        while index < last:
            next_id += 1
            if spare > 3 and rng.random() < 0.02:  # deleted messages
                skipped = between(rng, 1, 4)
                next_id, spare = next_id + skipped, spare - skipped
            t = min(t + rng.expovariate(1 / gap), seg.end - 1)
            r = rng.random() if spare > 0 else 1.0
            if r < 0.005:
                spare -= 1
                if r < 0.004 and self.recent:
                    yield self._service(next_id, int(t), "pin_message", pinned=pick(rng, self.recent).id)
                elif r < 0.0045:
                    yield self._service(next_id, int(t), "edit_group_photo")
                else:
                    yield Unsupported(next_id, int(t))
                continue
            post = self._post(next_id, index=index, date=int(t))
            self._remember(post)
            index += 1
            yield post

    def _post(self, message_id: int, *, index: int, date: int) -> Post:
        post = self._copy(message_id, index=index, date=date) or self._original(message_id, index=index, date=date)
        rng = self.rng
        if rng.random() < 0.15:
            post.edit_date = date + 60 + min(int(rng.expovariate(1 / 7200)), 30 * 86400)
        if rng.random() < 0.3:
            signature = pick(rng, vocab.AUTHORS)
            post.author = signature if self.group is None else None  # a group's posts are signed by their sender
        post.views = int(lognormal(rng, 8.0, 1.2)) + 1
        post.forwards = int(post.views * rng.random() * 0.05)
        if rng.random() < 0.4:
            start = between(rng, 0, len(vocab.REACTIONS))
            picked = (vocab.REACTIONS * 2)[start:start + between(rng, 1, 5)]
            counts = sorted((int(lognormal(rng, 2.5, 1.3)) + 1 for _ in picked), reverse=True)
            post.reactions = tuple(zip(picked, counts, strict=True))
        if self.group is not None:
            limit = CAPTION_LIMIT if post.media else TEXT_LIMIT
            self.group.decorate(post, limit=limit, reply_target=self._reply_target)
        return post

    def _creation(self) -> Service:
        """The chat's first message: a channel created, or a group (a basic group lists its members)."""
        if self.group is None:
            return Service(1, self.segment.start, "create_channel", title=self.channel.title)
        members = self.group.members
        basic = chat_type(self.channel) == "private_group"
        return Service(1, self.segment.start, "create_group" if basic else "create_channel", title=self.channel.title,
                       actor=members[0], members=members[:5] if basic else ())

    def _service(self, message_id: int, date: int, action: str, *, pinned: int | None = None) -> Service:
        actor = self.group.sender() if self.group is not None else None
        return Service(message_id, date, action, message_id=pinned, actor=actor)

    def _original(self, message_id: int, *, index: int, date: int) -> Post:
        rng = self.rng
        lang = _weighted(rng, vocab.LANGUAGES)
        r = rng.random()
        media = self._media(message_id, "photo" if r < 0.22 else "video" if r < 0.29 else "document" if r < 0.32 else None)
        paragraphs: tuple[Paragraph, ...] = ()
        if not (media and rng.random() < 0.15):  # else media-only: no caption
            limit = CAPTION_LIMIT if media else TEXT_LIMIT
            chars = min(int(lognormal(rng, 6.04, 0.85)), limit - 300)
            quote_ok = not (media and media.kind == "document")  # the dump withholds those: one rendering
            paragraphs = self.maker.paragraphs(lang, max(60, chars), limit=limit, quote_ok=quote_ok)
        post = Post(message_id, index, date, lang, "\n\n" if rng.random() < 0.6 else "\n", paragraphs, media)
        r = rng.random()
        if r < FORWARD_SHARE:
            post.forward = self._forward(date)
        elif r < FORWARD_SHARE + REPLY_SHARE and (target := self._reply_target()):
            post.reply = Ref(target.id, target.index)
            post.excerpt = flat_prefix(target.paragraphs, EXCERPT_CHARS)
        if self.dump_safe and not paragraphs and not post.forward and not post.reply:
            post.forward = self._forward(date)
        return post

    def _forward(self, date: int) -> Forward:
        rng = self.rng
        name, channel_id = pick(rng, vocab.FORWARD_SOURCES)
        original = between(rng, 2, 40000) if channel_id else None
        return Forward(name, channel_id, original, date - 60 - int(rng.expovariate(1 / 86400)))

    def _media(self, message_id: int, kind: str | None) -> Media | None:
        if kind is None:
            return None
        rng = self.rng
        width, height = pick(rng, ((1280, 720), (1280, 960), (960, 1280), (1080, 1080), (1920, 1080)))
        size = int(lognormal(rng, 11.5 if kind == "photo" else 14.5, 0.8))
        duration = between(rng, 5, 600) if kind == "video" else 0
        return Media(kind, message_id, width, height, size, duration)

    def _copy(self, message_id: int, *, index: int, date: int) -> Post | None:
        """A planted duplicate, when this post is picked for one and a source is at hand."""
        rng, left = self.rng, self.segment.first_index + self.segment.posts - index
        owed = self.owed["exact"] + self.owed["near"]
        if not owed or rng.random() >= owed / left:  # selection sampling over both kinds together
            return None
        kind = "exact" if rng.random() * owed < self.owed["exact"] else "near"
        forced = owed >= left  # the segment's last posts must take the copies still owed
        for _ in range(16 if forced else 1):
            source = self._source(near=kind == "near", tries=64 if forced else 4)
            if source is None:
                return None
            paragraphs, similarity = self._near_copy(source) if kind == "near" else (source.paragraphs, None)
            if paragraphs:
                break
        else:
            return None
        self.owed[kind] -= 1
        source.copied = True
        media = self._media(message_id, source.media.kind if source.media else None)  # a repost of that kind
        post = Post(message_id, index, date, source.lang, source.sep, paragraphs, media)
        post.copy_of, post.copy_kind, post.similarity = Ref(source.id, source.index), kind, similarity
        return post

    def _source(self, *, near: bool, tries: int) -> Post | None:
        """An original post with text and no quote (for a near copy: 60+ words in a spaced language),
        in at most ``tries`` picks."""
        rng = self.rng
        for _ in range(tries):
            pool = self.reservoir if self.reservoir and rng.random() < 0.3 else self.recent
            if not pool:
                return None
            candidate = pick(rng, pool)
            if candidate.copy_of or candidate.has_quote or not candidate.paragraphs:
                continue
            if near and (candidate.lang not in vocab.SPACED or len(candidate.text.split()) < NEAR_MIN_WORDS):
                continue
            return candidate
        return None

    def _near_copy(self, source: Post) -> tuple[tuple[Paragraph, ...], float | None]:
        """Change a few words, spread over the text, until the shingle Jaccard is in range."""
        rng = self.rng
        original = source.text
        limit = CAPTION_LIMIT if source.media else TEXT_LIMIT
        n = len(original.split()) - 4
        target = rng.uniform(0.82, 0.93)
        changes = max(1, round(n * (1 - target) / (5 * (1 + target))))
        for _ in range(4):
            paragraphs = _replace_words(source.paragraphs, source.lang, changes=changes, rng=rng)
            text = post_text(paragraphs, source.sep)
            similarity = jaccard(original, text)
            if NEAR_RANGE[0] <= similarity <= NEAR_RANGE[1] and len(text) <= limit:
                return paragraphs, round(similarity, 4)
            changes = max(1, changes + (1 if similarity > NEAR_RANGE[1] else -1))
        return (), None

    def _reply_target(self, rng: random.Random | None = None) -> Post | None:
        """A recent original post with text that no copy repeats yet: the web preview's excerpt of
        it then matches exactly one earlier post. Drawn from ``rng`` (default: the stream's)."""
        rng = rng or self.rng
        for _ in range(4):
            if not self.recent:
                return None
            candidate = pick(rng, self.recent)
            if candidate.paragraphs and not candidate.copied and not candidate.copy_of:
                return candidate
        return None

    def _remember(self, post: Post) -> None:
        if not post.paragraphs:
            return
        if len(self.recent) == RECENT:
            old = self.recent[0]
            self.evicted += 1
            if len(self.reservoir) < RESERVOIR:
                self.reservoir.append(old)
            else:
                slot = between(self.rng, 0, self.evicted)
                if slot < RESERVOIR:
                    self.reservoir[slot] = old
        self.recent.append(post)


def _weighted(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    r = rng.random()
    for value, weight in weighted:
        r -= weight
        if r < 0:
            return value
    return weighted[-1][0]


def _replace_words(paragraphs: tuple[Paragraph, ...], lang: str, *, changes: int,
                   rng: random.Random) -> tuple[Paragraph, ...]:
    """Replace ``changes`` plain words, one in each of as many equal stretches of the text."""
    slots = [(pi, qi, ti) for pi, p in enumerate(paragraphs) if p.role in (HEADLINE, BODY)
             for qi, part in enumerate(p.parts) if isinstance(part, str)
             for ti, token in enumerate(part.split(" ")) if token.isalpha()]
    if not slots:
        return paragraphs
    changes = min(changes, len(slots))
    stretch = len(slots) / changes
    chosen = [slots[int(k * stretch + rng.random() * stretch)] for k in range(changes)]
    words = vocab.WORDS[lang]
    edited = [list(p.parts) for p in paragraphs]
    for pi, qi, ti in chosen:
        tokens = edited[pi][qi].split(" ")
        old = tokens[ti]
        new = old
        while new.casefold() == old.casefold():
            new = pick(rng, words)
        tokens[ti] = new.capitalize() if old[0].isupper() else new
        edited[pi][qi] = " ".join(tokens)
    return tuple(paragraph(p.role, tuple(parts)) for p, parts in zip(paragraphs, edited, strict=True))
