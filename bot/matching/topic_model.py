"""A learned topic model: which objective a message is about, or none.

A :class:`~bot.matching.textmodel.TextModel` over the 40 objectives and ``hors-sujet``, learned
from each objective's contract wording, vocabulary phrases and example questions, and from the
examples of ``hors_sujet.yaml``. Its character n-grams survive SMS spelling and verb forms, and
unlike the word scores it learns which words speak *against* an objective (« console »,
« recette », « match » against everything): the decision reads its probability of
``hors-sujet``, and the ranking mixes its probability of each objective with the word and
character scores.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.knowledge.models import Knowledge
from bot.matching.clean import CleanedExamples
from bot.matching.textmodel import Examples, model_for

KIND: Final = "sujets"
OUT: Final = "hors-sujet"
C: Final = 10.0  # inverse regularisation, chosen by cross-validation (docs/measurements.md)


def topic_examples(
    knowledge: Knowledge, cleaned: CleanedExamples | None = None
) -> dict[str, tuple[str, ...]]:
    cleaned = cleaned or CleanedExamples.of(knowledge)
    # Examples are learned as messages are read (see :mod:`bot.matching.clean`): a name or a
    # phone number in an example says nothing about its objective.
    examples = {
        o.id: (o.text, *o.vocabulary, *cleaned.by_objective[o.id]) for o in knowledge.objectives
    }
    if cleaned.out_of_scope:
        examples[OUT] = cleaned.out_of_scope
    return examples


class TopicModel:
    def __init__(
        self,
        knowledge: Knowledge,
        examples: Examples | None = None,
        label_of: Callable[[str], str] | None = None,
    ) -> None:
        """``examples``: what to learn from, the knowledge's own by default; ``label_of``: the
        model's label for an objective id, the id itself by default (``bench`` scales the
        knowledge ten times and lets each copy read its original's probability)."""
        self.model = model_for(KIND, examples or topic_examples(knowledge), C)
        index = {label: i for i, label in enumerate(self.model.labels)}
        label = label_of or (lambda objective: objective)
        self._rows = np.array([index[label(o.id)] for o in knowledge.objectives], dtype=np.int64)
        self._out = index.get(OUT)

    def probabilities(self, tokens: list[str]) -> tuple[npt.NDArray[np.float32], float]:
        """Per objective (in the knowledge's order), and of being out of scope."""
        p = self.model.probabilities([tokens])[:, 0]
        return p[self._rows], float(p[self._out]) if self._out is not None else 0.0

    def probabilities_of_parts(self, parts: list[list[str]]) -> npt.NDArray[np.float32]:
        """Objectives × parts: :meth:`probabilities` of several texts, in one pass."""
        return self.model.probabilities(parts)[self._rows, :]
