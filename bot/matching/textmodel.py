"""A small text classifier learned from staff-editable examples, cached by their hash.

Used twice: the danger model (situations of ``securite.yaml`` and ``sans-danger``, examples in
``knowledge/danger/``) and the topic model (the 40 objectives and ``hors-sujet``, from each
objective's example questions, vocabulary and contract wording, and ``hors_sujet.yaml``).

**Features.** The words of a text (lowercase, no accents, elisions split, filler kept: « il
me frappe » is not « il frappe ») give character 2- to 5-grams of each word, the words and
the word pairs; sublinear tf × idf, L2 norm. Character n-grams survive spelling (« allé »,
« lécole », « sportif ») where whole words do not. **Model.** A multinomial logistic
regression, trained by scikit-learn (imported only to train).

Training takes seconds, so a trained model is stored in a file named by the hash of what it
learns from (its kind, the examples, this module's feature version and settings); loading one
takes milliseconds. ``bot/data/`` ships the models of the shipped knowledge; a model trained
after an edit goes to ``DANGER_CACHE_DIR`` (default ``var/cache``). Scoring is one sparse
product in numpy, with each word's features remembered.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.matching.normalize import WORD_CACHE_SIZE, words

log = logging.getLogger(__name__)

FEATURE_VERSION: Final = 1
SHIPPED_DIR: Final = Path(__file__).resolve().parent.parent / "data"
CACHE_DIR_ENV: Final = "DANGER_CACHE_DIR"
DEFAULT_CACHE_DIR: Final = Path("var/cache")
MIN_DF: Final = 2  # a feature seen in one example only is that example, not a pattern

FloatArray = npt.NDArray[np.float32]
Examples = Mapping[str, Sequence[str]]


# The features of a word depend on the word alone, and both models (danger, topics) ask for
# them: one shared memory, emptied when full.
_GRAMS: dict[str, tuple[str, ...]] = {}


def word_grams(word: str) -> tuple[str, ...]:
    """A word's character 2–5-grams (padded with a space on each side) and the word itself."""
    found = _GRAMS.get(word)
    if found is None:
        if len(_GRAMS) > WORD_CACHE_SIZE:
            _GRAMS.clear()
        padded = f" {word} "
        size = len(padded)
        grams = [padded[i : i + n] for n in range(2, min(5, size) + 1) for i in range(size - n + 1)]
        grams.append("w:" + word)
        found = _GRAMS[word] = tuple(grams)
    return found


def features(tokens: Iterable[str]) -> Counter[str]:
    """Character 2–5-grams of each word (padded), the words, and the word pairs."""
    seq = list(tokens)
    out: Counter[str] = Counter()
    for w in seq:
        out.update(word_grams(w))
    out.update(f"p:{a} {b}" for a, b in pairwise(seq))
    return out


def fingerprint(kind: str, examples: Examples, c: float) -> str:
    digest = hashlib.sha256(f"{kind} v{FEATURE_VERSION} C{c} df{MIN_DF}".encode())
    for key in sorted(examples):
        digest.update(b"\0" + key.encode())
        for text in examples[key]:
            digest.update(b"\1" + text.encode())
    return digest.hexdigest()[:16]


class TextModel:
    """Probabilities of each label for a text, or for several texts at once."""

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
        self._cache: dict[str, list[int]] = {}

    # -- scoring ---------------------------------------------------------------------------
    def _word_ids(self, word: str) -> list[int]:
        """The features one word gives (its n-grams and itself), remembered per word."""
        ids = self._cache.get(word)
        if ids is None:
            if len(self._cache) > WORD_CACHE_SIZE:
                self._cache.clear()
            vocab = self._vocab
            ids = self._cache[word] = [
                i for k in word_grams(word) if (i := vocab.get(k)) is not None
            ]
        return ids

    def _ids(self, tokens: list[str]) -> list[int]:
        ids: list[int] = []
        for w in tokens:
            ids += self._word_ids(w)
        vocab = self._vocab
        ids += [i for a, b in pairwise(tokens) if (i := vocab.get(f"p:{a} {b}")) is not None]
        return ids

    def probabilities(self, parts: Sequence[list[str]]) -> FloatArray:
        """labels × parts: the probabilities of each label for each text (given as words),
        in one matrix product. A part with no known feature gets the model's prior."""
        columns: list[npt.NDArray[np.int64]] = []
        values: list[FloatArray] = []
        for tokens in parts:
            found = self._ids(tokens)
            ids, counts = np.unique(np.array(found, dtype=np.int64), return_counts=True)
            x = ((1.0 + np.log(counts)) * self._idf[ids]).astype(np.float32)
            norm = np.float32(np.sqrt(np.dot(x, x)))
            columns.append(ids)
            values.append(x / norm if norm else x)
        sizes = [len(c) for c in columns]
        z = np.zeros((len(self.labels), len(parts)), dtype=np.float32)
        if sum(sizes):
            ids = np.concatenate(columns)
            contrib = self._weights[:, ids] * np.concatenate(values)
            # z[label, part] = sum over the part's features of weight × value
            owner = np.repeat(np.arange(len(parts)), sizes)
            for label in range(len(self.labels)):
                z[label] = np.bincount(owner, weights=contrib[label], minlength=len(parts))
        z += self._bias[:, None]
        z = np.exp(z - z.max(axis=0))
        p: FloatArray = z / z.sum(axis=0)
        return p

    # -- training and files ----------------------------------------------------------------
    @classmethod
    def train(cls, examples: Examples, c: float) -> TextModel:
        """Fit on the examples (scikit-learn, imported here only). Natural class weights: a
        label's examples count as many times as they are."""
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
        clf = LogisticRegression(C=c, max_iter=3000)
        clf.fit(matrix, y)
        weights, bias = clf.coef_, clf.intercept_
        if len(labels) == 2:
            # Two labels: scikit-learn keeps one row, the second label's logit against the
            # first; a zero row for the first gives the same probabilities through softmax.
            weights = np.vstack([np.zeros_like(weights), weights])
            bias = np.concatenate([[0.0], bias])
        return cls(labels, vocab, idf, weights.astype(np.float32), bias.astype(np.float32))

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
    def load(cls, path: Path) -> TextModel:
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


def file_name(kind: str, examples: Examples, c: float) -> str:
    return f"{kind}-{fingerprint(kind, examples, c)}.npz"


# Models in memory, by file name: a reload whose examples did not change (most reloads: a text,
# a contact, a vocabulary word edited) shares them with the snapshot it replaces instead of
# holding a second copy. Two per kind at most: the live snapshot's and the next one's.
_LOADED: dict[str, TextModel] = {}
_KEEP: Final = 4


def model_for(kind: str, examples: Examples, c: float) -> TextModel:
    """The model trained on ``examples``: already in memory, from the shipped file or the
    cache when one matches their hash, else trained now and cached."""
    name = file_name(kind, examples, c)
    model = _LOADED.pop(name, None) or _from_disk_or_trained(kind, name, examples, c)
    _LOADED[name] = model  # most recently used last
    while len(_LOADED) > _KEEP:
        del _LOADED[next(iter(_LOADED))]
    return model


def _from_disk_or_trained(kind: str, name: str, examples: Examples, c: float) -> TextModel:
    for folder in (SHIPPED_DIR, cache_dir()):
        path = folder / name
        if path.is_file():
            try:
                return TextModel.load(path)
            except (OSError, ValueError, KeyError) as exc:  # a damaged cache is retrained
                log.warning("Modèle « %s » illisible (%s), réentraînement : %s", kind, path, exc)
    log.info("Entraînement du modèle « %s » (%d exemples)…", kind, sum(map(len, examples.values())))
    model = TextModel.train(examples, c)
    try:
        model.save(cache_dir() / name)
    except OSError as exc:
        log.warning("Modèle « %s » non mis en cache : %s", kind, exc)
    return model


def ship(kind: str, examples: Examples, c: float) -> Path:
    """Train and write the model into ``bot/data/`` (developers), replacing the old one."""
    model = TextModel.train(examples, c)
    for old in SHIPPED_DIR.glob(f"{kind}-*.npz"):
        old.unlink()
    path = SHIPPED_DIR / file_name(kind, examples, c)
    model.save(path)
    return path
