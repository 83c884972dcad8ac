"""validate.families.repetition: the in-post repetition measures agree with a plain-Python reference
(datatrove's GopherRepetitionFilter, with corpus-tools' words)."""

import random
import re

import numpy as np
import pyarrow as pa
import pytest

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
