"""validate.textscan: one scan of a batch of texts gives their words, lines, paragraphs, lengths,
interface strings, hashes and NFC doubt as plain Python finds them."""

import functools
import unicodedata

import pyarrow as pa
import pytest

from corpus_tools.validate.textscan import TextBatch


def test_words_lines_paragraphs_and_facts():
    batch = TextBatch(pa.array(["Read in full.\n\nRead IN full", None, "🇷🇺 Ça va\nVIEW IN TELEGRAM", ""]), start=0)
    assert batch.words.counts().tolist() == [6, 0, 5, 0]
    assert batch.lines.counts().tolist() == [2, 0, 2, 0]
    assert batch.paragraphs.counts().tolist() == [2, 0, 1, 0]
    assert batch.chars.tolist() == [27, 0, 25, 0] and batch.visible_chars.tolist() == [21, 0, 20, 0]
    assert batch.interface.tolist() == [-1, -1, 2, -1] and batch.nulls.tolist() == [False, True, False, False]
    words = batch.words
    first = words.hashes[words.starts[0]:words.ends[0]]
    assert first[:3].tolist() == first[3:].tolist()  # words compare lower-cased, without punctuation


@functools.cache
def composing() -> frozenset[str]:
    """Every character that can compose with the character before it under NFC: the second and later
    parts of canonical decompositions, and Hangul's medial vowels and final consonants (U+1161-U+1175,
    U+11A8-U+11C2), whose composition into syllables is algorithmic."""
    found = {chr(cp) for cp in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))}
    for cp in range(0x110000):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) > 1 and not parts[0].startswith("<"):
            found.update(chr(int(part, 16)) for part in parts[1:])
    return frozenset(found)


def nfc_doubt(text: str) -> bool:
    """Plain Python: whether a text holds a character that can make it not NFC - one NFC changes on
    its own, one with a non-zero combining class, or one that composes with the character before it.
    Outside the Basic Multilingual Plane (beyond the scan's tables) every character but an emoji or
    pictograph (U+1F000-U+1FFFF) is in doubt."""
    for ch in text:
        if 0x1F000 <= ord(ch) < 0x20000:
            continue
        if (ord(ch) >= 0x10000 or ch in composing() or unicodedata.combining(ch)
                or unicodedata.normalize("NFC", ch) != ch):
            return True
    return False


NFC_TEXTS = ["Café", "Cafe\u0301", "한국", "\u1100\u1161", "Å", "\u212b", "e\u0301\u0323", "🇷🇺🇳🇪 plain", "Ελλάδα",
             "ﬁ ligature", "ڪ", "가\u11a8", "𝐀 bold"]


@pytest.mark.parametrize("text", NFC_TEXTS)
def test_nfc_doubt_covers_every_text_that_is_not_nfc(text):
    batch = TextBatch(pa.array([text]), start=0)
    assert nfc_doubt(text) or unicodedata.is_normalized("NFC", text), text  # the rule is sound
    assert bool(batch.nfc_unsafe[0]) is nfc_doubt(text), text  # the scan applies it, no more, no less
    if not unicodedata.is_normalized("NFC", text):
        assert batch.nfc_unsafe[0], text  # the exact check then runs on it


def test_nfc_doubt_of_a_batch_is_each_texts_own():
    texts = [t for text in NFC_TEXTS for t in (text, "plain ascii")] + [None, ""]
    batch = TextBatch(pa.array(texts), start=0)
    assert batch.nfc_unsafe.tolist() == [t is not None and nfc_doubt(t) for t in texts]
    assert sum(batch.nfc_unsafe.tolist()) == 6  # the five texts that are not NFC, and the one outside the BMP


def test_identical_texts_hash_alike_and_newlines_count():
    texts = ["a\nb", "a\n\nb", "a\nb\n", "\na\nb", "a\nb", "a b"]
    hashes = TextBatch(pa.array(texts), start=0).hashes.tolist()
    assert hashes[0] == hashes[4] and len(set(hashes)) == 5
