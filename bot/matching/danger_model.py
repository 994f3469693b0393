"""A learned danger detector, beside the trigger phrases of ``securite.yaml``.

Trigger lists plateau: a danger told without one of their phrases (« ma petite de 2 ans est
seule à la fenêtre ouverte ») is missed, and a past or fictional one (« il y a trois ans j'ai
subi des violences ») raises the alarm. A classifier that learns from examples generalises.

**Features.** The words of a message (lowercase, no accents, elisions split, filler kept: « il
me frappe » is not « il frappe ») give character 2- to 5-grams of each word, the words and
the word pairs; sublinear tf × idf, L2 norm. **Model.** A multinomial logistic regression over
the situations of ``securite.yaml`` and ``sans-danger``, trained by scikit-learn on the
examples of ``knowledge/danger/``. The probability of danger is one minus that of
``sans-danger``; the situation is the likeliest of the others.

Training takes seconds, so a trained model is stored in a cache file named by the hash of
everything it learns from (the examples, the situation ids, this module's feature version);
loading it takes milliseconds. ``bot/data/`` ships the model of the shipped knowledge, and a
model trained after an edit goes to ``DANGER_CACHE_DIR`` (default ``var/cache``).
Scoring a message is one sparse product in numpy.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.knowledge.examples import HARMLESS
from bot.matching.normalize import WORD_CACHE_SIZE, words

log = logging.getLogger(__name__)

FEATURE_VERSION: Final = 1
SHIPPED_DIR: Final = Path(__file__).resolve().parent.parent / "data"
CACHE_DIR_ENV: Final = "DANGER_CACHE_DIR"
DEFAULT_CACHE_DIR: Final = Path("var/cache")
MIN_DF: Final = 2  # a feature seen in one example only is that example, not a pattern
C: Final = 32.0  # inverse regularisation, chosen by cross-validation (docs/measurements.md)

# Sentences and clauses: danger told in the middle of a job question stands in one of them.
_SENTENCES: Final = re.compile(r"(?<=[.!?…;\n])\s+|\s+(?:mais|sauf que|par contre|et puis)\s+")

FloatArray = npt.NDArray[np.float32]

# The two levels (README, "Danger first"). A trigger phrase is explicit: « sure », unless the
# model finds the message plainly harmless (a past event, a prevention question, fiction), then
# « possible ». Without a trigger, the model alone: « sure » from SURE, « possible » from
# POSSIBLE. Chosen by cross-validation on the examples and on tests/data/danger*.yaml, never on
# the blind set.
SURE: Final = 0.7
POSSIBLE: Final = 0.3
TRIGGER_DOUBT: Final = 0.2


def features(tokens: Iterable[str]) -> Counter[str]:
    """Character 2–5-grams of each word (padded), the words, and the word pairs."""
    seq = list(tokens)
    out: Counter[str] = Counter()
    for w in seq:
        padded = f" {w} "
        size = len(padded)
        for n in range(2, min(5, size) + 1):
            out.update(padded[i : i + n] for i in range(size - n + 1))
        out["w:" + w] += 1
    out.update(f"p:{a} {b}" for a, b in pairwise(seq))
    return out


def sentences(text: str) -> list[str]:
    """The message's sentences and clauses, when it has more than one."""
    parts = [p for p in _SENTENCES.split(text) if p and len(p.split()) >= 2]
    return parts if len(parts) > 1 else []


def fingerprint(examples: Mapping[str, tuple[str, ...]]) -> str:
    digest = hashlib.sha256(f"v{FEATURE_VERSION} C{C} df{MIN_DF}".encode())
    for key in sorted(examples):
        digest.update(b"\0" + key.encode())
        for text in examples[key]:
            digest.update(b"\1" + text.encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class DangerScore:
    danger: float  # probability that the message speaks of a current danger
    situation: str | None  # the likeliest situation id, when danger > 0


class DangerModel:
    """Probabilities of danger and of each situation, for a message."""

    def __init__(
        self,
        labels: list[str],
        vocabulary: dict[str, int],
        idf: FloatArray,
        weights: FloatArray,
        bias: FloatArray,
    ) -> None:
        self.labels = labels
        self._vocab = vocabulary
        self._idf = idf
        self._weights = weights  # labels × features
        self._bias = bias
        self._harmless = labels.index(HARMLESS)
        self._cache: dict[str, list[int]] = {}

    # -- scoring ---------------------------------------------------------------------------
    def _word_ids(self, word: str) -> list[int]:
        """The features one word gives (its n-grams and itself), remembered per word."""
        ids = self._cache.get(word)
        if ids is None:
            if len(self._cache) > WORD_CACHE_SIZE:
                self._cache.clear()
            vocab = self._vocab
            ids = self._cache[word] = [vocab[k] for k in features((word,)) if k in vocab]
        return ids

    def _part_ids(self, tokens: list[str]) -> list[int]:
        ids: list[int] = []
        for w in tokens:
            ids += self._word_ids(w)
        vocab = self._vocab
        ids += [i for a, b in pairwise(tokens) if (i := vocab.get(f"p:{a} {b}")) is not None]
        return ids

    def score(self, text: str) -> DangerScore:
        """The most alarming of the whole message and each of its sentences, scored in one
        matrix product."""
        parts = [words(text), *(words(p) for p in sentences(text))]
        rows = [self._part_ids(tokens) for tokens in parts]
        rows = [r for r in rows if r]
        if not rows:
            return DangerScore(0.0, None)
        columns: list[npt.NDArray[np.int64]] = []
        values: list[FloatArray] = []
        for r in rows:
            ids, counts = np.unique(np.array(r, dtype=np.int64), return_counts=True)
            x = (1.0 + np.log(counts.astype(np.float32))) * self._idf[ids]
            columns.append(ids)
            values.append(x / np.sqrt(np.dot(x, x)))
        ids = np.concatenate(columns)
        starts = np.cumsum([0] + [len(c) for c in columns[:-1]])
        # z[label, part] = bias + sum over the part's features of weight × value
        z = np.add.reduceat(self._weights[:, ids] * np.concatenate(values), starts, axis=1)
        z += self._bias[:, None]
        z = np.exp(z - z.max(axis=0))
        p = z / z.sum(axis=0)
        danger = 1.0 - p[self._harmless]
        part = int(np.argmax(danger))
        p[self._harmless, part] = -1.0
        return DangerScore(float(danger[part]), self.labels[int(np.argmax(p[:, part]))])

    # -- training and cache ----------------------------------------------------------------
    @classmethod
    def train(cls, examples: Mapping[str, tuple[str, ...]]) -> DangerModel:
        """Fit on the examples (scikit-learn, imported here only)."""
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression

        labels = sorted(examples)
        texts = [(label, features(words(t))) for label in labels for t in examples[label]]
        df: Counter[str] = Counter()
        for _label, f in texts:
            df.update(f.keys())
        kept = sorted(k for k, v in df.items() if v >= MIN_DF)
        vocab = {k: i for i, k in enumerate(kept)}
        n = len(texts)
        idf = np.array([math.log((1 + n) / (1 + df[k])) + 1.0 for k in kept], dtype=np.float32)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, (_label, f) in enumerate(texts):
            ids = [vocab[k] for k in f if k in vocab]
            if not ids:
                continue
            x = (1.0 + np.log(np.array([f[kept[i]] for i in ids], dtype=np.float32))) * idf[ids]
            x /= np.sqrt(np.dot(x, x))
            rows += [r] * len(ids)
            cols += ids
            vals += x.tolist()
        matrix = csr_matrix((vals, (rows, cols)), shape=(n, len(kept)), dtype=np.float32)
        y = [labels.index(label) for label, _f in texts]
        # Natural class weights: "balanced" would weigh harmless messages like ONE situation
        # out of ten and push every short message towards danger.
        clf = LogisticRegression(C=C, max_iter=3000)
        clf.fit(matrix, y)
        weights = clf.coef_.astype(np.float32)
        bias = clf.intercept_.astype(np.float32)
        return cls(labels, vocab, idf, weights, bias)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        vocabulary = sorted(self._vocab, key=self._vocab.__getitem__)
        tmp = path.with_suffix(".tmp.npz")
        np.savez_compressed(
            tmp,
            labels=np.array(json.dumps(self.labels)),
            vocabulary=np.array("\n".join(vocabulary)),
            idf=self._idf,
            weights=self._weights,
            bias=self._bias,
        )
        os.replace(tmp, path)  # a reader never sees half a file

    @classmethod
    def load(cls, path: Path) -> DangerModel:
        with np.load(path) as data:
            labels = json.loads(str(data["labels"]))
            vocabulary = str(data["vocabulary"]).split("\n")
            return cls(
                labels,
                {k: i for i, k in enumerate(vocabulary)},
                data["idf"],
                data["weights"],
                data["bias"],
            )


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR)


def model_for(examples: Mapping[str, tuple[str, ...]]) -> DangerModel | None:
    """The model trained on ``examples``: from the shipped file or the cache when one matches
    their hash, else trained now and cached. ``None`` without examples of danger and of
    harmless messages."""
    if HARMLESS not in examples or len(examples) < 2:
        return None
    name = f"danger-{fingerprint(examples)}.npz"
    for folder in (SHIPPED_DIR, cache_dir()):
        path = folder / name
        if path.is_file():
            try:
                return DangerModel.load(path)
            except (OSError, ValueError, KeyError) as exc:  # a damaged cache is retrained
                log.warning("Modèle de danger illisible (%s), réentraînement : %s", path, exc)
    log.info("Entraînement du modèle de danger (%d exemples)…", sum(map(len, examples.values())))
    model = DangerModel.train(examples)
    try:
        model.save(cache_dir() / name)
    except OSError as exc:
        log.warning("Modèle de danger non mis en cache : %s", exc)
    return model
