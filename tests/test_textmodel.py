"""The text classifier under both models: the vectorised n-gram look-up finds exactly what the
word-by-word one does, long messages are scored as short ones are, and a model reads back from
its file as it was written."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bot.matching import textmodel
from bot.matching.textmodel import MIN_DF, TextModel, features, word_grams, words

EXAMPLES = {
    "emploi": [
        "je cherche du travail",
        "jcherche du taf dans le quartier",
        "aide pour mon cv et ma lettre de motivation",
        "trouver un emploi près de chez moi",
        "un stage ou une formation pour travailler",
    ],
    "sport": [
        "un club de foot pour mon fils",
        "activité sportive pas chère",
        "la piscine est ouverte quand",
        "faire du sport avec les voisins",
        "club de boxe pour les ados",
    ],
    "hors-sujet": [
        "la recette du couscous",
        "quel temps fera-t-il demain",
        "raconte moi une blague",
        "le score du match d'hier",
        "capitale de l'australie",
    ],
}


@pytest.fixture(scope="module")
def model() -> TextModel:
    return TextModel.train(EXAMPLES, c=10.0)


def _vocabulary() -> dict[str, int]:
    """The vocabulary training keeps, rebuilt the plain way."""
    df: Counter[str] = Counter()
    for texts in EXAMPLES.values():
        for t in texts:
            df.update(features(words(t)).keys())
    return {k: i for i, k in enumerate(sorted(k for k, v in df.items() if v >= MIN_DF))}


def _random_words(rng: random.Random, n: int) -> list[str]:
    known = [w for texts in EXAMPLES.values() for t in texts for w in words(t)]
    letters = "abcdeéèfghijklmnopqrstuvwxyzç'-"
    return [
        rng.choice(known)
        if rng.random() < 0.6
        else "".join(rng.choice(letters) for _ in range(rng.randint(1, 12)))
        for _ in range(n)
    ]


def test_encoded_ngrams_are_the_words_ngrams(model: TextModel) -> None:
    vocabulary = _vocabulary()
    rng = random.Random(7)
    for word in _random_words(rng, 400):
        expected = sorted(vocabulary[g] for g in word_grams(word)[:-1] if g in vocabulary)
        found = sorted(model._grams.ids([[word]])[0].tolist())
        assert found == expected, word


def test_long_messages_score_as_short_ones(
    model: TextModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(11)
    parts = [_random_words(rng, rng.randint(0, 120)) for _ in range(30)]
    monkeypatch.setattr(textmodel, "BATCH_MIN_WORDS", 10**9)
    word_by_word = model.probabilities(parts)
    monkeypatch.setattr(textmodel, "BATCH_MIN_WORDS", 0)
    batched = model.probabilities(parts)
    assert np.allclose(word_by_word, batched, atol=1e-6)
    assert np.allclose(batched.sum(axis=0), 1.0, atol=1e-5)


def test_a_model_reads_back_as_written(model: TextModel, tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    model.save(path)
    again = TextModel.load(path)
    texts = [words(t) for t in ("je cherche un club de foot", "recette", "")]
    assert np.array_equal(model.probabilities(texts), again.probabilities(texts))
    assert again.labels == model.labels


def test_the_right_label_wins(model: TextModel) -> None:
    p = model.probabilities([words("jcherche du travail"), words("un club de foot")])
    assert model.labels[int(np.argmax(p[:, 0]))] == "emploi"
    assert model.labels[int(np.argmax(p[:, 1]))] == "sport"


def test_a_long_message_reads_the_same_whatever_its_words_seen_before(
    model: TextModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long text takes the remembered features of words seen in short messages and looks
    the others up in one pass: any mix gives the word-by-word figures."""
    rng = random.Random(12)
    parts = [_random_words(rng, rng.randint(0, 120)) for _ in range(30)]
    seen = {w for tokens in parts for w in tokens}
    monkeypatch.setattr(textmodel, "BATCH_MIN_WORDS", 10**9)
    model._cache.clear()
    word_by_word = model.probabilities(parts)
    for share in (0.0, 0.3, 1.0):
        model._cache.clear()
        remembered = [w for w in sorted(seen) if rng.random() < share]
        monkeypatch.setattr(textmodel, "BATCH_MIN_WORDS", 10**9)
        model.probabilities([remembered])  # read word by word: remembered
        assert len(model._cache) == len(remembered)
        monkeypatch.setattr(textmodel, "BATCH_MIN_WORDS", 0)
        assert np.array_equal(model.probabilities(parts), word_by_word), share
