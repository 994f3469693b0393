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

import contextlib
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

from bot.disk_cache import cache_dir, prune
from bot.knowledge.packed import PackedTexts
from bot.matching.int_table import IntTable, hash_keys
from bot.matching.normalize import WORD_CACHE_SIZE, words

log = logging.getLogger(__name__)

FEATURE_VERSION: Final = 5  # 2: weights features × labels; 3: float16; 4: n-gram codes; 5: int8
SHIPPED_DIR: Final = Path(__file__).resolve().parent.parent / "data"
MIN_DF: Final = 2  # a feature seen in one example only is that example, not a pattern
# From this many words in one call, character n-grams are looked up for the whole text at once
# in numpy (:class:`_GramCodes`) rather than word by word through Python dictionaries: the same
# features, but a 4,096-character message of new words costs a few numpy passes instead of
# 20,000 dictionary lookups and as many small objects for the garbage collector.
BATCH_MIN_WORDS: Final = 48
GRAM_SIZES: Final = (2, 3, 4, 5)
# Several texts with fewer feature occurrences than the vocabulary / this are counted by
# sorting them, not by passes over the whole vocabulary (measured: 26 µs instead of 128 µs for
# 200 occurrences among 40,000 features; even at 5,000).
FEW_IDS: Final = 8

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
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


def _plain(tokens: list[str]) -> bool:
    """Words the batch lookup reads exactly as :func:`word_grams` does: not empty, no space."""
    return "" not in tokens and " " not in "".join(tokens)  # in C: a wall has 700 words


def fingerprint(kind: str, examples: Examples, c: float) -> str:
    digest = hashlib.sha256(f"{kind} v{FEATURE_VERSION} C{c} df{MIN_DF}".encode())
    for key in sorted(examples):
        digest.update(b"\0" + key.encode())
        if isinstance(examples, PackedTexts):
            # The same bytes as the loop below, read from the block without decoding it.
            if examples.count(key):
                digest.update(b"\1" + examples.block(key))
            continue
        for text in examples[key]:
            digest.update(b"\1" + text.encode())
    return digest.hexdigest()[:16]


class _GramCodes:
    """The vocabulary's character n-grams as integers, for a lookup of all n-grams of a text at
    once. Each character of the vocabulary's alphabet gets a small code (space 1, others from
    2; a character outside the alphabet 0, so no n-gram holding it can match), and an n-gram is
    its codes side by side in one 64-bit integer: exact, no collision. The known n-grams are
    kept in an :class:`~bot.matching.int_table.IntTable`."""

    def __init__(self, letters: str, codes: npt.NDArray[np.uint64], ids: IntArray) -> None:
        """``letters``: the alphabet, in code order; ``codes``: the n-grams' codes; ``ids``:
        each one's feature id."""
        self.letters = letters
        self._alphabet = np.array([ord(ch) for ch in letters], dtype=np.uint32)
        self._bits = max(1, (len(letters) + 1).bit_length())
        self._code = {ch: i for i, ch in enumerate(letters, start=2)} | {" ": 1}
        # The code of each ASCII character, for the usual message: one gather per character
        # instead of a binary search in the alphabet.
        self._ascii = np.zeros(128, dtype=np.uint64)
        for ch, number in self._code.items():
            if ord(ch) < 128:
                self._ascii[ord(ch)] = number
        self.usable = self._bits * max(GRAM_SIZES) <= 63
        self.table = IntTable(codes, ids)

    @classmethod
    def of(cls, vocabulary: Mapping[str, int]) -> tuple[_GramCodes, dict[str, int]]:
        """The n-grams of a vocabulary, encoded, and what is left to look up by name: words
        and pairs (everything, when the alphabet is too large to encode)."""
        grams = [(k, i) for k, i in vocabulary.items() if not k.startswith(("w:", "p:"))]
        letters = "".join(sorted({ch for k, _i in grams for ch in k} - {" "}))
        found = cls(letters, np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))
        if not found.usable:
            return found, dict(vocabulary)
        codes = np.array([found._pack(k) for k, _i in grams], dtype=np.uint64)
        ids = np.array([i for _k, i in grams], dtype=np.int64)
        rest = {k: i for k, i in vocabulary.items() if k.startswith(("w:", "p:"))}
        return cls(letters, codes, ids), rest

    def _chars(self, text: str) -> npt.NDArray[np.uint64]:
        if text.isascii():
            return self._ascii[np.frombuffer(text.encode("ascii"), dtype=np.uint8)]
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        where = np.minimum(np.searchsorted(self._alphabet, points), max(len(self._alphabet) - 1, 0))
        known = (self._alphabet[where] == points) if len(self._alphabet) else points < 0
        out = np.where(known, where + 2, 0).astype(np.uint64)
        out[points == ord(" ")] = 1
        return out

    def _pack(self, gram: str) -> int:
        code = 0
        for ch in gram:
            code = (code << self._bits) | self._code[ch]
        return code

    def ids(self, parts: Sequence[list[str]]) -> tuple[IntArray, IntArray]:
        """Every vocabulary n-gram of the parts (each a list of words), one per occurrence:
        what the words' :func:`word_grams` would find, without the ``w:`` features; and the
        part each comes from. The parts' words are joined by single spaces, each part padded
        by a space on each side and parted from the next by a character outside the alphabet;
        an n-gram never spans two words: only its first and last character may be a space."""
        texts = [" " + " ".join(tokens) + " " for tokens in parts]
        c = self._chars("\0".join(texts))
        starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
        size = len(c)
        found: list[npt.NDArray[np.uint64]] = []
        owners: list[npt.NDArray[np.int64]] = []  # where each n-gram starts
        # The n-grams starting at each position, grown one character at a time: the codes,
        # whether every character is in the alphabet, whether the inner ones are not spaces.
        known, letter = c != 0, c != 1
        code, valid, inner = c, known, np.ones(size, dtype=bool)
        bits = np.uint64(self._bits)
        for n in range(2, max(GRAM_SIZES) + 1):
            count = size - n + 1
            if count <= 0:
                break
            code = (code[:count] << bits) | c[n - 1 :]
            valid = valid[:count] & known[n - 1 :]
            inner = inner[:count] & letter[n - 2 : n - 2 + count] if n > 2 else inner[:count]
            if n in GRAM_SIZES:
                at = np.flatnonzero(valid & inner)
                found.append(code[at])
                owners.append(at)
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        ids = self.table.get(np.concatenate(found))
        hit = ids >= 0
        at = np.concatenate(owners)[hit]
        return ids[hit], np.searchsorted(starts, at, side="right") - 1


class _Names:
    """The features looked up by name: words (``w:…``) and word pairs (``p:…``), kept as the
    process's string hashes in an :class:`~bot.matching.int_table.IntTable` rather than as
    35,000 strings in a dictionary (4 MB of the bot's memory)."""

    def __init__(self, names: list[str], ids: IntArray, keep: bool = False) -> None:
        """``names`` and their feature ``ids``, side by side; ``keep``: keep the list of
        names (for :meth:`TextModel.save`, after training)."""
        self.names = names if keep else None
        self.ids_in_order = ids.astype(np.int64) if keep else None
        self._table = IntTable(hash_keys(names), ids)

    @classmethod
    def of(cls, names: Mapping[str, int], keep: bool = False) -> _Names:
        order = sorted(names, key=names.__getitem__)
        return cls(order, np.array([names[k] for k in order], dtype=np.int64), keep)

    def find(self, keys: list[str]) -> IntArray:
        """The feature id of each key, -1 for a key outside the vocabulary."""
        return self._table.get(hash_keys(keys))


class TextModel:
    """Probabilities of each label for a text, or for several texts at once."""

    def __init__(
        self,
        labels: list[str],
        names: _Names,
        grams: _GramCodes,
        idf: FloatArray,
        rows: npt.NDArray[np.int8],
        scale: FloatArray,
        bias: FloatArray,
    ) -> None:
        """``names``: the features looked up by name (words ``w:…`` and pairs ``p:…``);
        ``grams``: the character n-grams, encoded (see :meth:`_GramCodes.of`); ``rows`` and
        ``scale``: the weights, features × labels, as :func:`quantised` gives them."""
        self.labels = labels
        self._names = names
        self._grams = grams
        self._idf = idf
        self._rows = rows
        self._scale = scale
        self._bias = bias
        self._cache: dict[str, IntArray] = {}  # word -> its features
        self._pairs: dict[str, int] = {}  # "p:a b" -> its feature, -1 for none

    # -- scoring ---------------------------------------------------------------------------
    def _named(self, parts: Sequence[list[str]]) -> tuple[IntArray, IntArray]:
        """The ids of a message's word pairs the vocabulary holds, and the part of each (see
        :class:`_Names`): its pairs are mostly remembered."""
        keys: list[str] = []
        owners: list[int] = []
        for number, tokens in enumerate(parts):
            keys += [f"p:{a} {b}" for a, b in pairwise(tokens)]
            owners += [number] * (len(tokens) - 1 if tokens else 0)
        found = np.array(self._pair_ids(keys), dtype=np.int64)
        return found[found >= 0], np.array(owners, dtype=np.int64)[found >= 0]

    def _named_long(
        self, parts: Sequence[list[str]], words_of: Sequence[list[str]]
    ) -> tuple[IntArray, IntArray]:
        """:meth:`_named` of a long text, whose words ``words_of`` are new to the memory: their
        own features first, then the pairs, in one look-up each. A pair is a feature only if
        both its words are (a text holding the pair holds both words, so each word is in at
        least as many examples): a pair with a new word the model lacks is not looked up.
        On a wall of made-up words, that is every pair."""
        new = [w for tokens in words_of for w in tokens]
        own = self._names.find(["w:" + w for w in new]) if new else np.zeros(0, dtype=np.int64)
        lacking = {w for w, i in zip(new, own.tolist(), strict=True) if i < 0}
        keys: list[str] = []
        owners: list[int] = []
        for number, tokens in enumerate(parts):
            before = len(keys)
            keys += [
                f"p:{a} {b}" for a, b in pairwise(tokens) if a not in lacking and b not in lacking
            ]
            owners += [number] * (len(keys) - before)
        pairs = self._names.find(keys) if keys else np.zeros(0, dtype=np.int64)
        own_owner = np.repeat(np.arange(len(words_of)), [len(t) for t in words_of])
        found = np.concatenate([own, pairs])
        owner = np.concatenate([own_owner, np.array(owners, dtype=np.int64)])
        return found[found >= 0], owner[found >= 0]

    def _pair_ids(self, keys: list[str]) -> list[int]:
        """The feature id of each word-pair key (-1 when unknown), remembered: a look-up in
        the table costs a few numpy passes, too many for the ten pairs of a short message."""
        cache = self._pairs
        new = [k for k in dict.fromkeys(keys) if k not in cache]
        if new:
            if len(cache) + len(new) > WORD_CACHE_SIZE:
                cache.clear()
                new = list(dict.fromkeys(keys))
            cache.update(zip(new, self._names.find(new).tolist(), strict=True))
        return [cache[k] for k in keys]

    def _ids(self, parts: Sequence[list[str]]) -> tuple[IntArray, IntArray]:
        """The feature ids of the parts, one per occurrence, and the part of each."""
        total = sum(map(len, parts))
        if total >= BATCH_MIN_WORDS and self._grams.usable and all(map(_plain, parts)):
            return self._long_ids(parts)
        # Each word's n-grams and its own feature, remembered per word.
        self._learn_words({w for tokens in parts for w in tokens})
        cache = self._cache
        chunks = [cache[w] for tokens in parts for w in tokens]
        grams = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
        if len(parts) == 1:
            owner = np.zeros(len(grams), dtype=np.int64)
        else:
            sizes = [sum(len(cache[w]) for w in tokens) for tokens in parts]
            owner = np.repeat(np.arange(len(parts)), sizes)
        named, named_owner = self._named(parts)
        return np.concatenate([grams, named]), np.concatenate([owner, named_owner])

    def _long_ids(self, parts: Sequence[list[str]]) -> tuple[IntArray, IntArray]:
        """:meth:`_ids` of a long text: the features of its words remembered already from
        memory (a wall of words residents use: a few hundred arrays joined), the n-grams and
        own features of the others in one numpy pass, not remembered (a wall of new words
        would fill the memory with one-off words, and splitting its pass word by word would
        cost more than the pass). Counts do not depend on the order of the ids."""
        chunks: list[IntArray] = []
        sizes: list[int] = []
        new: list[list[str]] = []
        for tokens in parts:
            # Looked up by map() and filtered by comprehensions: a loop of Python statements
            # over a wall's 700 words cost a third of this method.
            found = list(map(self._cache.get, tokens))
            known = [f for f in found if f is not None]
            chunks += known
            sizes.append(sum(map(len, known)))
            new.append([w for w, f in zip(tokens, found, strict=True) if f is None])
        ids = [np.concatenate(chunks)] if chunks else []
        owner = [np.repeat(np.arange(len(parts)), sizes)] if chunks else []
        if any(new):
            grams, grams_owner = self._grams.ids(new)
            ids.append(grams)
            owner.append(grams_owner)
        named, named_owner = self._named_long(parts, new)
        return np.concatenate([*ids, named]), np.concatenate([*owner, named_owner])

    def _learn_words(self, seen: set[str]) -> None:
        """Remember the features of the words not remembered yet (their n-grams and the word
        itself): all of a message's new words in one numpy pass and one look-up (a pass per
        word cost a short message's first reading 0.3 ms)."""
        new = seen.difference(self._cache)
        if not new:
            return
        if len(self._cache) + len(new) > WORD_CACHE_SIZE:
            self._cache.clear()
            new = set(seen)
        ordered = sorted(new)
        own = self._names.find(["w:" + w for w in ordered]).tolist()
        plain = [w for w in ordered if w and " " not in w] if self._grams.usable else []
        grams: dict[str, IntArray] = {}
        if plain:
            ids, owner = self._grams.ids([[w] for w in plain])
            order = np.argsort(owner, kind="stable")
            ends = np.searchsorted(owner[order], np.arange(1, len(plain) + 1))
            grams.update(zip(plain, np.split(ids[order], ends[:-1]), strict=True))
        for w in new.difference(plain):
            found = self._names.find(list(word_grams(w)[:-1]))
            grams[w] = found[found >= 0]
        # Each word's own array (not a view that would keep the whole pass's alive).
        for w, feature in zip(ordered, own, strict=True):
            chunk = grams[w]
            self._cache[w] = np.append(chunk, feature) if feature >= 0 else chunk.copy()

    def probabilities(self, parts: Sequence[list[str]]) -> FloatArray:
        """labels × parts: the probabilities of each label for each text (given as words),
        in one matrix product. A part with no known feature gets the model's prior."""
        ids, owner = self._ids(parts)
        if len(ids):
            # Sublinear tf × idf of each (part, feature), then L2 norm per part; the parts ×
            # features matrix is dense over the features the parts hold.
            features, tf = self._counts(ids, owner, len(parts))
            x = np.log(np.maximum(tf, 1.0))
            x += 1.0
            if len(parts) > 1:  # a part without some of the features
                x *= tf > 0
            x *= self._idf[features]
            x /= np.maximum(np.sqrt(np.einsum("ij,ij->i", x, x)), 1e-12)[:, None]
            x *= self._scale[features]
            z = (x @ self._rows[features].astype(np.float32)).T
        else:
            z = np.zeros((len(self.labels), len(parts)), dtype=np.float32)
        z += self._bias[:, None]
        z = np.exp(z - z.max(axis=0))
        p: FloatArray = z / z.sum(axis=0)
        return p

    def _counts(self, ids: IntArray, owner: IntArray, parts: int) -> tuple[IntArray, FloatArray]:
        """The distinct features of the parts, and parts × those features: the count of each.
        No sort of a long text's ten thousand occurrences: counted by feature id."""
        if parts == 1:  # a short message: sorting its few hundred ids is cheaper
            features, counts = np.unique(ids, return_counts=True)
            return features, counts[None, :].astype(np.float32)
        if len(ids) * FEW_IDS < len(self._idf):  # a few sentences: the same, by sorting
            features, local = np.unique(ids, return_inverse=True)
            size = len(features)
            tf = np.bincount(owner * size + local, minlength=parts * size)
            return features, tf.reshape(parts, size).astype(np.float32)
        features = np.flatnonzero(np.bincount(ids, minlength=len(self._idf)))
        local = np.zeros(len(self._idf), dtype=np.int64)
        local[features] = np.arange(len(features))
        size = len(features)
        tf = np.bincount(owner * size + local[ids], minlength=parts * size)
        return features, tf.reshape(parts, size).astype(np.float32)

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
        grams, names = _GramCodes.of(vocab)
        quantised_rows, scale = quantised(weights.T)
        named = _Names.of(names, keep=True)
        return cls(labels, named, grams, idf, quantised_rows, scale, bias.astype(np.float32))

    def save(self, path: Path) -> None:
        """One compressed file; the n-grams stored as their codes, so that loading creates
        no string for them (50,000 strings were 5 MB of the bot's peak memory)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        names, name_ids = self._names.names, self._names.ids_in_order
        if names is None or name_ids is None:
            raise ValueError("only a model trained in this process can be saved")
        codes, ids = self._grams.table.items()
        tmp = path.with_suffix(".tmp.npz")
        np.savez_compressed(
            tmp,
            labels=np.array(json.dumps(self.labels)),
            names=np.array("\n".join(names)),
            name_ids=name_ids,
            letters=np.array(self._grams.letters),
            gram_codes=codes,
            gram_ids=ids,
            idf=self._idf,
            rows=self._rows,
            scale=self._scale,
            bias=self._bias,
        )
        os.replace(tmp, path)  # a reader never sees half a file

    @classmethod
    def load(cls, path: Path) -> TextModel:
        with np.load(path) as data:
            names = str(data["names"]).split("\n") if data["name_ids"].size else []
            return cls(
                json.loads(str(data["labels"])),
                _Names(names, data["name_ids"]),
                _GramCodes(str(data["letters"]), data["gram_codes"], data["gram_ids"]),
                data["idf"],
                data["rows"],
                data["scale"],
                data["bias"],
            )


def quantised(weights: FloatArray) -> tuple[npt.NDArray[np.int8], FloatArray]:
    """Weights (features × labels) as bytes and one scale per feature: a quarter of their
    memory in float32, and a gathered row converts in hardware (half precision did not).
    Each weight is off by at most half its feature's largest weight / 127."""
    scale = np.abs(weights).max(axis=1) / 127.0
    scale[scale == 0.0] = 1.0
    rows = np.rint(weights / scale[:, None]).astype(np.int8)
    return np.ascontiguousarray(rows), scale.astype(np.float32)


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
                model = TextModel.load(path)
                if folder != SHIPPED_DIR:
                    with contextlib.suppress(OSError):
                        os.utime(path)  # recently used: kept by prune()
                return model
            except (OSError, ValueError, KeyError) as exc:  # a damaged cache is retrained
                log.warning("Modèle « %s » illisible (%s), réentraînement : %s", kind, path, exc)
    log.info("Entraînement du modèle « %s » (%d exemples)…", kind, sum(map(len, examples.values())))
    model = TextModel.train(examples, c)
    try:
        model.save(cache_dir() / name)
        prune(f"{kind}-", ".npz")
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
