"""A second signal that spelling cannot break: character n-grams.

Words fail on « allé » for « aller », « plu » for « plus », « lécole », « sportif » for
« sport »: a word the knowledge does not hold gives nothing. Character n-grams of the same
words still overlap. Each knowledge item (an objective's contract wording, each vocabulary
phrase, each example question; each out-of-scope example) is a TF-IDF vector of the 2- to
5-grams of its words (padded with a space on each side, as scikit-learn's ``char_wb``
analyzer does; sublinear tf; smooth idf; L2 norm). A message's similarity to a label (an
objective, or "out of scope") is its cosine with the nearest item of that label.

Own code rather than scikit-learn's vectorizer: importing scikit-learn costs ~0.7 s, more
than the whole start-up budget of ``ask``, and the transform is a few lines of numpy. The
matrix is stored by n-gram (the n-gram's items and weights side by side), so a message only
touches the items that share one of its n-grams.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.matching.stopwords import STOPWORDS

MIN_N: Final = 2
MAX_N: Final = 5
# An n-gram in more than this share of the items says nothing (« es », « ent »): dropped, so
# a message never walks thousands of items for it.
MAX_DF: Final = 0.3

FloatArray = npt.NDArray[np.float64]


def grams(tokens: Iterable[str]) -> Counter[str]:
    """The character 2- to 5-grams of words (already folded), each padded with spaces.
    Filler words (« le », « je », « de ») are left out: they say nothing about a topic."""
    out: Counter[str] = Counter()
    for w in tokens:
        if w in STOPWORDS:
            continue
        padded = f" {w} "
        size = len(padded)
        for n in range(MIN_N, min(MAX_N, size) + 1):
            out.update(padded[i : i + n] for i in range(size - n + 1))
    return out


class CharIndex:
    """Nearest-item cosine similarity, per label, over character n-grams."""

    def __init__(self, items: Sequence[tuple[int, Sequence[str]]], labels: int) -> None:
        """``items``: (label, words of the item) pairs; labels are ``0 … labels - 1``."""
        self.labels = labels
        counted = [(label, grams(tokens)) for label, tokens in items]
        # By label, so that the nearest item of each label is one reduceat away.
        counted = sorted(((label, g) for label, g in counted if g), key=lambda lg: lg[0])
        n_items = len(counted)
        df: Counter[str] = Counter()
        for _label, g in counted:
            df.update(g.keys())
        limit = max(2.0, MAX_DF * n_items)
        kept = sorted(k for k, v in df.items() if v <= limit)
        self._ids = {gram: i for i, gram in enumerate(kept)}
        self._idf = np.array(
            [math.log((1 + n_items) / (1 + df[k])) + 1.0 for k in kept], dtype=np.float64
        )
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        owner = np.array([label for label, _g in counted], dtype=np.int64)
        self._present, self._first = np.unique(owner, return_index=True)
        for item, (_label, g) in enumerate(counted):
            pairs = [(self._ids[k], 1.0 + math.log(c)) for k, c in g.items() if k in self._ids]
            if not pairs:
                continue
            ids = [i for i, _ in pairs]
            weights = np.array([tf for _, tf in pairs]) * self._idf[ids]
            norm = float(np.sqrt(np.dot(weights, weights)))
            rows += ids
            cols += [item] * len(ids)
            vals += list(weights / norm)
        order = np.argsort(np.array(rows, dtype=np.int64), kind="stable")
        row_arr = np.array(rows, dtype=np.int64)[order]
        self._items = np.array(cols, dtype=np.int64)[order]
        self._weights = np.array(vals, dtype=np.float64)[order]
        self._starts = np.zeros(len(kept) + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_arr, minlength=len(kept)), out=self._starts[1:])
        self._n_items = n_items

    def similarities(self, tokens: Iterable[str]) -> FloatArray:
        """Per label, the cosine of the message with its nearest item (0 when nothing is
        shared)."""
        out = np.zeros(self.labels, dtype=np.float64)
        found = [(self._ids[k], c) for k, c in grams(tokens).items() if k in self._ids]
        if not found or self._n_items == 0:
            return out
        ids = np.array([i for i, _ in found], dtype=np.int64)
        q = (1.0 + np.log(np.array([c for _, c in found], dtype=np.float64))) * self._idf[ids]
        q /= np.sqrt(np.dot(q, q))
        starts = self._starts[ids]
        lengths = self._starts[ids + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return out
        # Positions of every posting of the message's n-grams, gathered in one go.
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        per_item = np.bincount(
            self._items[offsets],
            weights=np.repeat(q, lengths) * self._weights[offsets],
            minlength=self._n_items,
        )
        out[self._present] = np.maximum.reduceat(per_item, self._first)
        return out
