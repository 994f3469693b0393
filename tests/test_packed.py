"""The danger examples are held packed (bot/knowledge/packed.py): the same texts, the same
model file name, a third of the memory."""

from __future__ import annotations

import pickle
from pathlib import Path

from bot.knowledge.loader import load_knowledge
from bot.knowledge.packed import PackedTexts
from bot.matching import danger_model
from bot.matching.textmodel import fingerprint

ROOT = Path(__file__).resolve().parent.parent
TEXTS = {
    "sans-danger": ("je cherche un stage", "où est la mairie ?", "déjà vu ça — « été »"),
    "incendie": ("ça brûle au 3e",),
    "vide": (),
}


def test_packed_texts_read_back_as_given() -> None:
    packed = PackedTexts(TEXTS)
    assert dict(packed) == TEXTS
    assert list(packed) == list(TEXTS) and len(packed) == 3
    assert packed.count("sans-danger") == 3 and packed.count("vide") == 0
    assert packed.count("absent") == 0 and "absent" not in packed


def test_packed_texts_survive_pickle_and_compare() -> None:
    packed = PackedTexts(TEXTS)
    again = pickle.loads(pickle.dumps(packed))
    assert again == packed and dict(again) == TEXTS
    assert packed == TEXTS  # against a plain mapping of the same texts
    assert packed != PackedTexts({**TEXTS, "incendie": ("ça brûle au 4e",)})


def test_the_separator_inside_a_text_does_not_split_it() -> None:
    packed = PackedTexts({"k": ("a\x01b", "c")})
    assert packed["k"] == ("a b", "c")


def test_fingerprint_is_the_same_packed_or_not() -> None:
    # The model files are named by this hash: packing must not rename them.
    for c in (1.0, 32.0):
        assert fingerprint("danger", PackedTexts(TEXTS), c) == fingerprint("danger", TEXTS, c)
    assert fingerprint("danger", PackedTexts(TEXTS), 1.0) != fingerprint(
        "danger", PackedTexts({**TEXTS, "vide": ("x",)}), 1.0
    )


def test_shipped_knowledge_holds_its_danger_examples_packed() -> None:
    knowledge = load_knowledge(ROOT / "knowledge")
    examples = knowledge.danger_examples
    assert isinstance(examples, PackedTexts)
    plain = {key: examples[key] for key in examples}
    assert sum(map(len, plain.values())) > 8000
    kind, c = danger_model.KIND, danger_model.C
    assert fingerprint(kind, examples, c) == fingerprint(kind, plain, c)
