"""A learned danger detector, beside the trigger phrases of ``securite.yaml``.

Trigger lists plateau: a danger told without one of their phrases (« ma petite de 2 ans est
seule à la fenêtre ouverte ») is missed, and a past or fictional one (« il y a trois ans j'ai
subi des violences ») raises the alarm. A classifier that learns from examples generalises.

A :class:`~bot.matching.textmodel.TextModel` over the situations of ``securite.yaml`` and
``sans-danger`` learns from the examples of ``knowledge/danger/``. The probability of danger is
one minus that of ``sans-danger``; the situation is the likeliest of the others. A long message
is scored whole and sentence by sentence (danger told in the middle of a job question stands in
one sentence), and the most alarming part counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np

from bot.knowledge.examples import HARMLESS
from bot.matching.normalize import words
from bot.matching.textmodel import TextModel, model_for

KIND: Final = "danger"
C: Final = 32.0  # inverse regularisation, chosen by cross-validation (docs/measurements.md)
# The two levels (README, "Danger first"). A trigger phrase is explicit: « sure », unless the
# model doubts it (a past event, a prevention question, fiction: under TRIGGER_DOUBT), then
# « possible ». Without a trigger, the model alone: « sure » from SURE, « possible » from
# POSSIBLE. Chosen by cross-validation on the examples and on tests/data/danger*.yaml (the
# development sets), never on a blind set.
SURE: Final = 0.8
POSSIBLE: Final = 0.5
TRIGGER_DOUBT: Final = 0.1
# The model overrules an explicit trigger only with context to go on: « je veux me suicider »
# alone is always « sure », whatever the model thinks of « suicide » (it has seen it in many
# prevention questions and past events).
DOUBT_MIN_WORDS: Final = 8
# Sentences scored apart, at most: a 4,096-character wall has no more than this many anyway
# in practice, and the whole message is always scored too.
MAX_SENTENCES: Final = 64

# Sentences and clauses: danger told in the middle of a job question stands in one of them.
_SENTENCES: Final = re.compile(r"(?<=[.!?…;\n])\s+|\s+(?:mais|sauf que|par contre|et puis)\s+")


def sentences(text: str) -> list[str]:
    """The message's sentences and clauses, when it has more than one."""
    parts = [p for p in _SENTENCES.split(text) if p and len(p.split()) >= 2]
    return parts[:MAX_SENTENCES] if len(parts) > 1 else []


@dataclass(frozen=True)
class DangerScore:
    danger: float  # probability that the message speaks of a current danger
    situation: str | None  # the likeliest situation id


class DangerModel:
    """Probabilities of danger and of each situation, for a message."""

    def __init__(self, model: TextModel) -> None:
        self.model = model
        self._harmless = model.labels.index(HARMLESS)

    def score(self, text: str) -> DangerScore:
        """The most alarming of the whole message and each of its sentences."""
        parts = [words(text), *(words(p) for p in sentences(text))]
        p = self.model.probabilities(parts)
        danger = 1.0 - p[self._harmless]
        part = int(np.argmax(danger))
        column = p[:, part].copy()
        column[self._harmless] = -1.0
        return DangerScore(float(danger[part]), self.model.labels[int(np.argmax(column))])


def danger_model_for(examples: Mapping[str, tuple[str, ...]]) -> DangerModel | None:
    """The model of these examples (shipped, cached or trained now); ``None`` without
    examples of both danger and harmless messages."""
    if HARMLESS not in examples or len(examples) < 2:
        return None
    return DangerModel(model_for(KIND, examples, C))
