"""validate.families.near_duplicates: MinHash bands make every similar pair a candidate and random
texts not, Jaccard is exact, and a large bucket is paired with its first post only."""

import random

import numpy as np
import pyarrow as pa
import pytest

from corpus_tools.validate.families.near_duplicates import (BandFiles, _jaccard, _salts, _shingles, candidate_pairs,
                                                            signatures)
from corpus_tools.validate.textscan import TextBatch


def test_minhash_bands_find_similar_pairs_and_jaccard_is_exact():
    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(5000)]
    base = [[rng.choice(vocabulary) for _ in range(80)] for _ in range(300)]
    near = [words[:-2] + ["changed", "ending"] for words in base[:50]]  # Jaccard about 0.95 with their base
    texts = [" ".join(w) for w in base + near]
    words = TextBatch(pa.array(texts), start=0).words
    bands, has = signatures(words, shingle_words=5, bands=20, rows=5, seed=1)
    pairs = {tuple(p) for p in candidate_pairs(bands.T, has, max_bucket=100).tolist()}
    assert {(k, 300 + k) for k in range(50)} <= pairs  # every planted pair is a candidate
    assert len(pairs) == 50  # and random texts are not
    salts = _salts(5, 1)
    sets = [_shingles(words.hashes, words.starts[k], words.ends[k], 5, salts) for k in (0, 300)]
    expected = len(set(zip(*[base[0][i:] for i in range(5)])) & set(zip(*[near[0][i:] for i in range(5)])))
    assert _jaccard(*sets) == pytest.approx(expected / (2 * 76 - expected))


def test_a_large_bucket_is_paired_with_its_first_post_only():
    bands = np.zeros((6, 2), np.uint64)  # six posts agreeing in every band
    pairs = candidate_pairs(bands.T, np.ones(6, bool), max_bucket=3)
    assert pairs.tolist() == [[0, 1], [0, 2], [0, 3], [0, 4], [0, 5]]


def test_band_files_give_back_each_band_of_every_batch_in_order():
    rng = np.random.default_rng(5)
    batches = [rng.integers(0, 4, (n, 3), dtype=np.uint64) for n in (7, 0, 5)]  # few values: shared buckets
    files = BandFiles(3)
    for batch in batches:
        files.append(batch)
    whole = np.concatenate(batches)
    assert [band.tolist() for band in files] == [whole[:, b].tolist() for b in range(3)]
    has = np.ones(len(whole), bool)
    assert candidate_pairs(files, has, max_bucket=10).tolist() == candidate_pairs(whole.T, has, max_bucket=10).tolist()
    folder = files._paths()[0].parent
    files.close()
    assert not folder.exists()


def test_band_files_of_no_batch_are_empty_bands():
    files = BandFiles(2)
    assert [band.size for band in files] == [0, 0]
    assert files._paths() == []  # no folder made for no batch
    assert candidate_pairs(files, np.zeros(0, bool), max_bucket=10).shape == (0, 2)
