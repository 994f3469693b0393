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
from itertools import chain
from typing import Final

import numpy as np

from bot.knowledge.examples import HARMLESS
from bot.matching.frames import plainly, without_reassurance
from bot.matching.normalize import SENTENCE_END
from bot.matching.stopwords import STOPWORDS
from bot.matching.textmodel import TextModel, model_for

KIND: Final = "danger"
C: Final = 32.0  # inverse regularisation, chosen by cross-validation (docs/measurements.md)
# The two levels (README, "Danger first"). A trigger phrase is explicit: « sure », unless the
# model doubts it (a past event, a prevention question, fiction: under TRIGGER_DOUBT), then
# « possible »; when the model is all but certain there is no danger (under TRIGGER_VETO: « le
# film sur l'incendie de Notre-Dame passe samedi », « il y a dix ans j'ai été agressée,
# aujourd'hui je veux être bénévole »), nothing. Without a trigger, the model alone: « sure »
# from SURE, « possible » from POSSIBLE. Chosen on tests/data/danger*.yaml and on blind sets 1
# and 2 once their figures were recorded (docs/measurements.md), never on the current blind set:
# the veto took false alarms on harmless messages from 31 % to 16 % on blind set 2 and lost no
# danger message of any of these sets.
# TRIGGER_DOUBT went from 0.5 to 0.4 when the harmless examples of everyday evenings (series
# h) made the model more sceptical of triggers (« j'ai avalé toute ma boîte d'antidépresseurs
# il y a une demi-heure », blind set 2, fell to 0.46). On the same sets: danger `sure` 95.0 % →
# 95.7 %, harmless `sure` 2.7 % → 2.7 %; at 0.3, 95.9 % and 3.2 %.
SURE: Final = 0.8
POSSIBLE: Final = 0.5
TRIGGER_DOUBT: Final = 0.4
TRIGGER_VETO: Final = 0.03
# The model overrules an explicit trigger only with context to go on: « je veux me suicider »
# alone is always « sure », whatever the model thinks of « suicide » (it has seen it in many
# prevention questions and past events). Personal details are not context: the words are
# counted once phones, addresses, names and numbers are blanked (« mon mari me frappe,
# j'habite 3 rue des Lilas » is six words, and « sure »).
DOUBT_MIN_WORDS: Final = 8
# The model alone raises a `sure` alarm only from this many words that say something (not small
# words, not greetings): on fewer it has too little to read (« je n'ai plus d'argent », one such
# word, scored 0.93), and says `possible`. Every danger message the model alone finds in
# tests/data/danger*.yaml and the blind danger sets has three or more.
SURE_MIN_WORDS: Final = 2
# And no alarm at all on a message of at most this many words of two letters or more (chit-chat
# aside), none of which says something: « mon », « nous », « et moi ? » leave the model nothing
# to read (it read « mon » as harassment, 0.62). Not longer ones made of small words: « je veux
# plus être là », « ils sont chez moi » are dangers (an independent review).
TINY_WORDS: Final = 2
# Sentences scored apart, at most. A longer message's sentences are grouped, neighbours
# together, into this many parts: nothing of it goes unread. A part that tells a plan is also
# scored told plainly (:func:`parts_of`), so a message of framed sentences has up to twice as
# many parts.
MAX_SENTENCES: Final = 64
# Up to this length a message is scored whole too (danger told across two sentences); a longer
# one is read part by part only, where a danger sentence is not drowned in the rest. Residents'
# longest messages in every test set are under 420 characters.
WHOLE_MAX_CHARS: Final = 1200
# A part longer than this many words (a wall without punctuation) is cut into pieces this long.
PIECE_WORDS: Final = 60
# The situation the model finds likeliest leads the emergency block (its numbers first) when it
# holds at least this share of the probability of danger: it names the danger from the whole
# message, where a trigger names it from a few words (« ils m'ont arraché mon sac et jetée par
# terre » holds a couple-violence trigger, « jetée par terre »; the model reads an assault in the
# street). Chosen on the situations of tests/data/danger*.yaml and blind danger sets 1–5, which
# had never been measured for the situation they show: the right situation first went from
# 91.2 % to 94.0 % of the danger messages shown (docs/measurements.md).
LEAD_SHARE: Final = 0.5

# Sentences and clauses: danger told in the middle of a job question stands in one of them.
_SENTENCES: Final = re.compile(rf"{SENTENCE_END}\s+|\s+(?:mais|sauf que|par contre|et puis)\s+")


def sentences(text: str) -> list[str]:
    """The message's sentences and clauses, when it has more than one."""
    parts = [p for p in _SENTENCES.split(text) if p and len(p.split()) >= 2]
    return parts if len(parts) > 1 else []


def parts_of(text: str) -> list[list[str]]:
    """What is scored, as words: the whole message when it is not long, and its sentences, cut
    to :data:`PIECE_WORDS` and grouped into at most :data:`MAX_SENTENCES` parts, each without
    the phrases that say it is not urgent (:func:`~bot.matching.frames.without_reassurance`);
    and those of them that tell a plan or a wish, told plainly."""
    long = len(text) > WHOLE_MAX_CHARS
    # « c'est pas urgent mais… », « sans urgence, … »: the model read the urgency, not its
    # negation (« ce n'est pas une urgence, mais mon fils sèche les cours »: 0.95).
    pieces = [
        tokens[i : i + PIECE_WORDS]
        for part in (sentences(text) or ([text] if long else []))
        for tokens in [_calm(part)]
        for i in range(0, len(tokens), PIECE_WORDS)
    ]
    if len(pieces) > MAX_SENTENCES:
        size = -(-len(pieces) // MAX_SENTENCES)  # neighbours together, at most 64 groups
        pieces = [list(chain(*pieces[i : i + size])) for i in range(0, len(pieces), size)]
    # A long message without a word still gets a score (none).
    read = (pieces or [[]]) if long else [_calm(text), *pieces]
    # A plan is scored told plainly too (« mon projet c'est de me tuer » as « me tuer », « son
    # but c'est de me tuer » as « il veut me tuer »: see :data:`~bot.matching.frames.INTENTS`).
    return read + [plain for tokens in read if (plain := plainly(tokens)) is not tokens]


def _calm(text: str) -> list[str]:
    """The words of ``text`` without what says it is not urgent; none when that leaves at most
    :data:`TINY_WORDS` small words of two letters or more, which say nothing to the model: « Il
    n'y a aucune urgence, hein » leaves « hein », and « il » alone read as a man's violence.
    A word that says something is read however few: « il m'a menacée, c pas urgent »."""
    seq, calmed = without_reassurance(text)
    if (
        calmed
        and sum(len(w) > 1 for w in seq) <= TINY_WORDS
        and not any(len(w) > 1 and w not in STOPWORDS for w in seq)
    ):
        return []
    return seq


@dataclass(frozen=True)
class DangerScore:
    danger: float  # probability that the message speaks of a current danger
    situation: str | None  # the likeliest situation id
    share: float = 0.0  # the likeliest situation's share of ``danger``


class DangerModel:
    """Probabilities of danger and of each situation, for a message."""

    def __init__(self, model: TextModel) -> None:
        self.model = model
        self._harmless = model.labels.index(HARMLESS)

    def score(self, text: str) -> DangerScore:
        """The most alarming of the whole message and each of its sentences."""
        p = self.model.probabilities(parts_of(text))
        danger = 1.0 - p[self._harmless]
        part = int(np.argmax(danger))
        column = p[:, part].copy()
        column[self._harmless] = -1.0
        likeliest = int(np.argmax(column))
        share = float(column[likeliest] / danger[part]) if danger[part] > 0 else 0.0
        return DangerScore(float(danger[part]), self.model.labels[likeliest], share)


def danger_model_for(examples: Mapping[str, tuple[str, ...]]) -> DangerModel | None:
    """The model of these examples (shipped, cached or trained now); ``None`` without
    examples of both danger and harmless messages."""
    if HARMLESS not in examples or len(examples) < 2:
        return None
    return DangerModel(model_for(KIND, examples, C))
