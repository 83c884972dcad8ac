"""Synthetic post text: paragraphs of words in one script, with the entities Telegram marks.

A post's text is a tuple of ``Paragraph``s, each a role and its parts: plain strings and entities
``(type, text, href)`` with Telegram Desktop's type names (hashtag, mention, link, text_link, bold,
italic, blockquote). Every format is rendered from the same paragraphs, so the formats of one seed
say the same thing.

The structure is what the flat-text dump needs to stay unambiguous (see the known limits in docs/formats.md):
the headline comes first; every body paragraph and quote is a substantial line (40+ characters)
ending in sentence punctuation, never in '…'; a quote (a blockquote, which only the dump's second
rendering shows) always sits between two body paragraphs; dividers sit between body paragraphs;
'Read in full' only follows two or more body paragraphs; a closing tag line is 16+ characters.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from . import vocab
from .draw import between, lognormal, pick

Part = str | tuple[str, str, str | None]
HEADLINE, BODY, QUOTE, DIVIDER, MORE, TAGS = "headline", "body", "quote", "divider", "more", "tags"
MIN_LINE = 40  # characters of a body paragraph or quote: well above the dump reader's 16
SHINGLE = 5  # words per shingle in the near-duplicate Jaccard measure
_WORDS_PER_CHAR = {"en": 1 / 7.4, "ru": 1 / 9.4, "eu": 1 / 9.8, "zh": 1 / 2.5, "ja": 1 / 2.8}
_SEP = {lang: " " if lang in vocab.SPACED else "" for lang in vocab.WORDS}
_INLINE_ROOM = 240  # characters inline entities and a leading emoji can add to one paragraph, at most
_STOP = {lang: vocab.SENTENCE_END[lang][0] + _SEP[lang] for lang in vocab.WORDS}  # where a paragraph may end
# Inline entities and their chances per post, in 256ths (one random byte each).
_INLINE = (("hashtag", 77), ("mention", 31), ("link", 38), ("text_link", 38), ("italic", 31), ("emoji", 51),
           ("flag", 31))


class Paragraph(NamedTuple):
    """One line of the post in the flat-text dump; paragraphs are joined by the post's separator.
    ``text`` is the parts' text, kept since every writer needs it."""

    role: str
    parts: tuple[Part, ...]
    text: str


def paragraph(role: str, parts: tuple[Part, ...]) -> Paragraph:
    """A paragraph of ``parts``, its text joined once.

    >>> paragraph("body", ("See ", ("hashtag", "#x", None))).text
    'See #x'
    """
    if len(parts) == 1 and isinstance(parts[0], str):
        return Paragraph(role, parts, parts[0])
    return Paragraph(role, parts, "".join(p if isinstance(p, str) else p[1] for p in parts))


def post_text(paragraphs: tuple[Paragraph, ...], sep: str) -> str:
    """The whole text as Telegram stores it: paragraphs joined by ``sep`` ('\\n' or '\\n\\n')."""
    return sep.join(p.text for p in paragraphs)


def flat_prefix(paragraphs: tuple[Paragraph, ...], limit: int) -> str:
    """The start of the text with line breaks read as spaces, cut at a space when there is one in
    its second half: what the web preview shows as a reply's excerpt (before its '…').

    >>> flat_prefix((paragraph(HEADLINE, ("Big news",)), paragraph(BODY, ("It is long, very long.",))), 16)
    'Big news It is'
    """
    flat = " ".join(" ".join(p.text for p in paragraphs).split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", limit // 2, limit + 1)
    return flat[:cut] if cut > 0 else flat[:limit]


def shingles(text: str, k: int = SHINGLE) -> set[tuple[str, ...]]:
    """Word k-shingles: the case-folded whitespace-separated words, k at a time."""
    words = text.casefold().split()
    return {tuple(words[i:i + k]) for i in range(max(1, len(words) - k + 1))}


def jaccard(a: str, b: str, k: int = SHINGLE) -> float:
    """Jaccard similarity of two texts' word k-shingles, the measure near duplicates are planted by.

    >>> jaccard("a b c d e f", "a b c d e f")
    1.0
    """
    x, y = shingles(a, k), shingles(b, k)
    return len(x & y) / len(x | y) if x or y else 1.0


class TextMaker:
    """Draws paragraphs from one random stream; its methods are the pieces of a post."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, lang: str, n: int) -> str:
        """``n`` tokens of the language's table joined: words, commas and sentence breaks."""
        table = vocab.TABLES[lang]
        return _SEP[lang].join([table[b] for b in self.rng.randbytes(n)])

    def sentences(self, lang: str, n: int) -> str:
        """``n`` tokens as whole sentences: a capital first, sentence punctuation last."""
        text = self.words(lang, n)
        return text[0].upper() + text[1:].rstrip(",，、") + vocab.SENTENCE_END[lang][0]

    def paragraphs(self, lang: str, chars: int, *, limit: int, quote_ok: bool) -> tuple[Paragraph, ...]:
        """A post of about ``chars`` characters and at most ``limit``: headline, body paragraphs
        with inline entities, and maybe a quote, a divider, a 'Read in full' link and a tag line,
        in an order the flat-text dump can show.

        >>> ps = TextMaker(random.Random(1)).paragraphs("en", 400, limit=4096, quote_ok=True)
        >>> ps[0].role, ps[1].role, 300 < len(post_text(ps, "\\n")) < 560
        ('headline', 'body', True)
        """
        rng = self.rng
        head = self.headline(lang)
        body = self.body(lang, min(chars, limit) - len(head.text), limit=limit - len(head.text) - _INLINE_ROOM)
        total = len(head.text) + sum(2 + len(p.text) for p in body) + self._inline(lang, body)
        while total > limit and len(body) > 1:  # emoji and entities went past the limit: end earlier
            total -= 2 + len(body.pop().text)
        out = [head, *body]
        # Quotes and dividers go between two body paragraphs; 'Read in full' needs two before it.
        if len(body) >= 2:
            if quote_ok and rng.random() < 0.12:
                total = _add(out, self.quote(lang), at=between(rng, 2, len(out)), total=total, limit=limit)
            if rng.random() < 0.06:
                total = _add(out, _DIVIDER, at=between(rng, 2, len(out)), total=total, limit=limit)
            if rng.random() < 0.10:
                total = _add(out, self.read_more(lang), at=len(out), total=total, limit=limit)
        if rng.random() < 0.20:
            _add(out, self.tag_line(lang), at=len(out), total=total, limit=limit)
        return tuple(out)

    def headline(self, lang: str) -> Paragraph:
        rng = self.rng
        text = self.words(lang, 4 + int(rng.random() * 8)).rstrip(",，、")
        text = text[0].upper() + text[1:]
        lead = ""
        if rng.random() < 0.25:
            lead = pick(rng, vocab.FLAGS) + (pick(rng, vocab.FLAGS) if rng.random() < 0.5 else "") + " "
        elif rng.random() < 0.3:
            lead = pick(rng, vocab.EMOJI) + " "
        if rng.random() < 0.5:
            return paragraph(HEADLINE, (lead, ("bold", text, None)) if lead else (("bold", text, None),))
        return paragraph(HEADLINE, (lead + text,))

    def body(self, lang: str, chars: int, *, limit: int) -> list[Paragraph]:
        """About ``chars`` characters (at most ``limit``) of sentences, drawn in one go and cut
        into paragraphs of heavy-tailed length at sentence ends, some after an emoji."""
        rng = self.rng
        text = self.sentences(lang, max(6, int(chars * _WORDS_PER_CHAR[lang])))
        if len(text) > limit:  # a draw far above average: end at a sentence within the limit
            text = text[:text.rfind(_STOP[lang], 0, limit) + 1] or text[:limit] + "."
        body, start, stop, step = [], 0, _STOP[lang], len(_STOP[lang])
        while start < len(text):
            cut = text.find(stop, start + max(MIN_LINE, int(lognormal(rng, 5.6, 0.5)))) + 1
            if cut <= 0 or len(text) - cut < MIN_LINE:
                cut = len(text)
            line = text[start:cut]
            if rng.random() < 0.3:
                line = pick(rng, vocab.EMOJI) + " " + line
            body.append(paragraph(BODY, (line,)))
            start = cut + step - 1
        return body

    def _inline(self, lang: str, body: list[Paragraph]) -> int:
        """Splice inline entities (and emoji, flags) into random body paragraphs, inside their text:
        a paragraph still starts with its first word and ends with its punctuation. Returns the
        characters added."""
        rng, added = self.rng, 0
        for (kind, chance), b in zip(_INLINE, rng.randbytes(len(_INLINE)), strict=True):
            if b < chance:
                at = int(rng.random() * len(body))
                spliced = splice(body[at], self._entity(kind, lang), lang=lang, rng=rng)
                added += len(spliced.text) - len(body[at].text)
                body[at] = spliced
        return added

    def _entity(self, kind: str, lang: str) -> Part:
        rng = self.rng
        if kind == "hashtag":
            return ("hashtag", self.hashtag(lang), None)
        if kind == "mention":
            return ("mention", "@" + pick(rng, vocab.USERNAMES), None)
        if kind == "link":
            return ("link", f"{pick(rng, vocab.LINK_HOSTS)}{between(rng, 100, 99999)}", None)
        if kind == "text_link":
            href = f"{pick(rng, vocab.LINK_HOSTS)}{between(rng, 100, 99999)}"
            return ("text_link", pick(rng, vocab.LINK_LABELS[lang]), href)
        if kind == "italic":
            return ("italic", self.words(lang, 2 if lang in vocab.SPACED else 3).rstrip(",，、"), None)
        return pick(rng, vocab.EMOJI) if kind == "emoji" else pick(rng, vocab.FLAGS)

    def hashtag(self, lang: str) -> str:
        word = pick(self.rng, vocab.WORDS[lang])
        tag = word[0].upper() + word[1:] if lang in vocab.SPACED else word
        return "#" + (tag + str(between(self.rng, 10, 99)) if self.rng.random() < 0.2 else tag)

    def quote(self, lang: str) -> Paragraph:
        inner = self.sentences(lang, int(between(self.rng, MIN_LINE, 260) * _WORDS_PER_CHAR[lang]) + 6)
        start, end = pick(self.rng, vocab.QUOTE_MARKS)
        return paragraph(QUOTE, (("blockquote", start + inner + end, None),))

    def read_more(self, lang: str) -> Paragraph:
        href = f"{pick(self.rng, vocab.LINK_HOSTS)}{between(self.rng, 100, 99999)}"
        lead = "📎" if self.rng.random() < 0.3 else ""
        return paragraph(MORE, tuple(x for x in (lead, ("text_link", vocab.READ_IN_FULL, href)) if x))

    def tag_line(self, lang: str) -> Paragraph:
        """Two or more hashtags on a line of 16+ characters: a line the dump reader can anchor on."""
        parts: list[Part] = [("hashtag", self.hashtag(lang), None)]
        length = len(parts[0][1])
        while length < 16 or len(parts) < 3:
            tag = self.hashtag(lang)
            parts += [" ", ("hashtag", tag, None)]
            length += 1 + len(tag)
        return paragraph(TAGS, tuple(parts))

_DIVIDER = Paragraph(DIVIDER, (vocab.DIVIDER,), vocab.DIVIDER)


def _add(out: list[Paragraph], extra: Paragraph, *, at: int, total: int, limit: int) -> int:
    """Insert ``extra`` at ``at`` when the text stays within ``limit``; the new length."""
    if total + 2 + len(extra.text) > limit:
        return total
    out.insert(at, extra)
    return total + 2 + len(extra.text)


def splice(target: Paragraph, entity: Part, *, lang: str, rng: random.Random) -> Paragraph:
    """``target`` with ``entity`` put into the middle half of its longest plain run, at a word
    boundary (spaced languages) or after a sentence (CJK), spaced off from the words around it."""
    parts = list(target.parts)
    i = max((k for k in range(len(parts)) if isinstance(parts[k], str)), key=lambda k: len(parts[k]))
    run = parts[i]
    start = len(run) // 4 + int(rng.random() * (len(run) // 2))
    if lang in vocab.SPACED:
        cut = run.find(" ", start)
        left, right = run[:cut + 1], run[cut:]
    else:
        cut = run.find(vocab.SENTENCE_END[lang][0], start) + 1
        left, right = run[:cut] + " ", " " + run[cut:]
    if cut <= 0 or cut >= len(run) - 2:
        return target
    parts[i:i + 1] = [left + entity + right] if isinstance(entity, str) else [left, entity, right]
    return paragraph(target.role, tuple(parts))
