"""Fast random draws for the generator's hot paths.

``random.Random.randrange``/``choice`` reject and redraw to be exactly uniform, and
``lognormvariate`` loops; at a million posts they cost more than everything else. These take one
float from the same seeded stream each: the tiny bias (below 2**-50) is irrelevant to synthetic
text, and the results stay deterministic for a seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One item, uniformly.

    >>> pick(random.Random(1), "abc")
    'a'
    """
    return items[int(rng.random() * len(items))]


def between(rng: random.Random, low: int, high: int) -> int:
    """An integer in ``[low, high)``.

    >>> 5 <= between(random.Random(1), 5, 9) < 9
    True
    """
    return low + int(rng.random() * (high - low))


def lognormal(rng: random.Random, mu: float, sigma: float) -> float:
    """exp(mu + sigma * N(0, 1)): heavy-tailed sizes (post lengths, views, file sizes).

    >>> lognormal(random.Random(1), 0.0, 0.0)
    1.0
    """
    return math.exp(mu + sigma * rng.gauss(0.0, 1.0))
