"""The test sets stay outside the knowledge: no example the models learn from is a copy, or a
near copy, of a test sentence. A figure measured on sentences the bot learned is no evidence."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
# Every set the README's figures come from; the fitting sets train the decision, not the
# models, and are left out.
TEST_SETS = [
    *sorted((ROOT / "tests/data").glob("*.yaml")),
    *sorted((ROOT / "tests/data/blind").glob("*.yaml")),
]
NEAR = 92  # rapidfuzz ratio, 0–100: a copy with a word or two changed


def _plain(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _test_sentences() -> list[str]:
    found = []
    for path in TEST_SETS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, list):
            found += [_plain(c["q"]) for c in data if isinstance(c, dict) and "q" in c]
    return found


def test_the_knowledge_learns_from_no_test_sentence() -> None:
    knowledge = load_knowledge(ROOT / "knowledge")
    learned = [e for o in knowledge.objectives for e in o.examples]
    learned += list(knowledge.out_of_scope)
    learned += [e for texts in knowledge.danger_examples.values() for e in texts]
    tests = _test_sentences()
    assert len(tests) > 2000 and len(learned) > 5000
    copies = []
    for text in {_plain(t) for t in learned}:
        if len(text.split()) < 4:  # « trouver du travail » may well be written twice
            continue
        hit = process.extractOne(text, tests, scorer=fuzz.ratio, score_cutoff=NEAR)
        if hit is not None:
            copies.append((text, hit[0]))
    assert not copies, copies[:10]
