"""validate.textscan: one scan of a batch of texts gives their words, lines, paragraphs, lengths,
interface strings, hashes and NFC doubt as plain Python finds them."""

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


@pytest.mark.parametrize("text", ["Café", "Cafe\u0301", "한국", "\u1100\u1161", "Å", "\u212b", "e\u0301\u0323",
                                  "🇷🇺🇳🇪 plain", "Ελλάδα", "ﬁ ligature", "ڪ"])
def test_nfc_doubt_covers_every_text_that_is_not_nfc(text):
    batch = TextBatch(pa.array([text]), start=0)
    if not unicodedata.is_normalized("NFC", text):
        assert batch.nfc_unsafe[0], text  # the exact check then runs on it


def test_identical_texts_hash_alike_and_newlines_count():
    texts = ["a\nb", "a\n\nb", "a\nb\n", "\na\nb", "a\nb", "a b"]
    hashes = TextBatch(pa.array(texts), start=0).hashes.tolist()
    assert hashes[0] == hashes[4] and len(set(hashes)) == 5
