"""The text scan and the measures built on it agree with plain-Python references."""

import random
import re
import unicodedata

import numpy as np
import pyarrow as pa
import pytest

from corpus_tools.validate.families.near_duplicates import _jaccard, _salts, _shingles, candidate_pairs, signatures
from corpus_tools.validate.families.repetition import measures
from corpus_tools.validate.textscan import TextBatch

ALPHABET = ["lorem", "ipsum", "dolor", "sit", "amet", "Привет", "мир", "ça", "va", "42", "x"]


def random_text(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 6)):
        line = " ".join(rng.choice(ALPHABET) + rng.choice(["", "", ",", "."]) for _ in range(rng.randint(1, 12)))
        lines.append(line)
        if rng.random() < 0.3:
            lines.append(rng.choice(lines))  # a repeated line
        if rng.random() < 0.2:
            lines.append("")  # a blank line: a paragraph break
    return "\n".join(lines).strip("\n")


def reference(text: str, ngrams=(5, 6, 7, 8, 9, 10)) -> list[float]:
    """datatrove's GopherRepetitionFilter measures, in plain Python, with corpus-tools' words."""
    def duplicates(items):
        seen, count, chars = set(), 0, 0
        for item in items:
            if item in seen:
                count, chars = count + 1, chars + len(item)
            seen.add(item)
        return count, chars

    def repeated_ngrams(words, n):
        seen, idx, chars = set(), 0, 0
        while idx <= len(words) - n:
            gram = tuple(words[idx:idx + n])
            if gram in seen:
                chars, idx = chars + sum(map(len, gram)), idx + n
            else:
                seen.add(gram)
                idx += 1
        return chars

    paragraphs = [p for p in re.split(r"\n{2,}", text.strip()) if p]
    lines = [line for line in re.split(r"\n+", text) if line]
    words = re.findall(r"[^\W_]+", text.lower())
    out = []
    for items in (paragraphs, lines):
        count, chars = duplicates(items)
        out += [count / len(items), chars / len(text)]
    return out + [repeated_ngrams(words, n) / len(text) for n in ngrams]


@pytest.mark.parametrize("seed", range(5))
def test_repetition_measures_match_the_reference(seed):
    rng = random.Random(seed)
    texts = [random_text(rng) for _ in range(200)]
    values = measures(TextBatch(pa.array(texts), start=0), ngrams=(5, 6, 7, 8, 9, 10))
    expected = np.array([reference(t) for t in texts])
    np.testing.assert_allclose(values, expected, atol=1e-12)


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


def test_minhash_bands_find_similar_pairs_and_jaccard_is_exact():
    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(5000)]
    base = [[rng.choice(vocabulary) for _ in range(80)] for _ in range(300)]
    near = [words[:-2] + ["changed", "ending"] for words in base[:50]]  # Jaccard about 0.95 with their base
    texts = [" ".join(w) for w in base + near]
    words = TextBatch(pa.array(texts), start=0).words
    bands, has = signatures(words, shingle_words=5, bands=20, rows=5, seed=1)
    pairs = {tuple(p) for p in candidate_pairs(bands, has, max_bucket=100).tolist()}
    assert {(k, 300 + k) for k in range(50)} <= pairs  # every planted pair is a candidate
    assert len(pairs) == 50  # and random texts are not
    salts = _salts(5, 1)
    sets = [_shingles(words.hashes, words.starts[k], words.ends[k], 5, salts) for k in (0, 300)]
    expected = len(set(zip(*[base[0][i:] for i in range(5)])) & set(zip(*[near[0][i:] for i in range(5)])))
    assert _jaccard(*sets) == pytest.approx(expected / (2 * 76 - expected))


def test_a_large_bucket_is_paired_with_its_first_post_only():
    bands = np.zeros((6, 2), np.uint64)  # six posts agreeing in every band
    pairs = candidate_pairs(bands, np.ones(6, bool), max_bucket=3)
    assert pairs.tolist() == [[0, 1], [0, 2], [0, 3], [0, 4], [0, 5]]
