"""Score every objective for a message and decide: answer, suggest, or unknown."""

from __future__ import annotations

import gc
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import pairwise
from operator import itemgetter
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from bot.knowledge.models import ALONE, Knowledge, Situation
from bot.matching import danger_model, glossary, references
from bot.matching.clean import CleanedExamples, clauses, for_matching, subject_part
from bot.matching.danger_model import danger_model_for
from bot.matching.decision import EXACT_EXAMPLE, Decision, Features, rule
from bot.matching.frames import frame_at, frame_starts, plainly, reassurance_dropped
from bot.matching.helplines import Helplines
from bot.matching.index import Index
from bot.matching.language import foreign_words, is_foreign
from bot.matching.neighbours import GroupMax, Neighbours
from bot.matching.normalize import MAX_CHARS, WORD_CACHE_SIZE, words
from bot.matching.references import Reference, reference
from bot.matching.safety import SafetyDetector
from bot.matching.stopwords import STOPWORDS
from bot.matching.topic_model import OUT, TopicModel, topic_examples

# "sure": the emergency block comes first; "possible": one short line of numbers above the
# normal answer (a past event, a prevention question, a weak signal); "none": no danger.
DangerLevel = Literal["none", "possible", "sure"]

KNN_WEIGHT: Final = 0.2
# The ranking score: word score and topic model probability, mixed (fitting sets, 5-fold).
WORD_SHARE: Final = 0.5
LEARNED_SHARE: Final = 0.5
MAX_MATCHES: Final = 5
# How many objectives a reply offers: the card and two others, or three choices.
SHOWN: Final = 3
# A second subject is looked for in messages up to this long (their part without personal
# details): twice the longest two-subject message of the test sets (420 characters). Reading a
# 4,096-character wall clause by clause would cost it 1.7 ms more at the median.
SECOND_MAX_CHARS: Final = 800


# Compared and hashed by identity: one object per distinct word, and a message counts them.
@dataclass(frozen=True, slots=True, eq=False)
class _Word:
    """One position of a message, as the index sees it."""

    known: frozenset[str]  # its alternatives the knowledge has
    weight: float  # idf of its most telling alternative
    # Best idf × field weight, per objective (all of them, by index): a message's words are
    # summed in one numpy pass instead of a dictionary update per word and objective.
    objectives: npt.NDArray[np.float64]
    strong: tuple[int, ...]  # objectives whose keywords or wording hold it
    examples: npt.NDArray[np.int64]  # example questions that hold it


@dataclass(frozen=True, slots=True)
class _Pair:
    bonus: tuple[tuple[int, float], ...]  # objectives where the two stand side by side
    phrase: tuple[tuple[int, float], ...]  # objectives with a vocabulary phrase holding both


_NO_PAIR: Final = _Pair((), ())
CACHE_SIZE: Final = WORD_CACHE_SIZE  # distinct words, and word pairs, remembered


@dataclass(frozen=True)
class Signals:
    learned: npt.NDArray[np.float32]  # objective index -> topic model probability
    learned_out: float  # topic model probability of « hors sujet »
    fused: dict[int, float]  # objective index -> ranking score
    words: npt.NDArray[np.float64]  # by objective index: word score
    evidence: float
    size: int
    # By objective index: idf mass of the message's words its fiche holds: what the message
    # says about it, not divided by what else the message says.
    mass: npt.NDArray[np.float64]
    unknown: int  # positions whose words the knowledge does not know
    near: dict[str, float]  # stem similarity to the nearest example of each objective (its
    # index as text) and of « hors sujet » (OUT)

    @property
    def near_in(self) -> float:
        return max((v for k, v in self.near.items() if k != OUT), default=0.0)


@dataclass(frozen=True)
class Match:
    objective_id: str
    score: float


@dataclass(frozen=True)
class MatchResult:
    question: str
    decision: Decision
    matches: tuple[Match, ...]
    emergencies: tuple[Situation, ...] = ()
    smalltalk: str | None = None  # category of bavardage.yaml, when the message is chit-chat
    evidence: float = 0.0
    # Never "none" when ``emergencies`` holds a situation, never else.
    danger_level: DangerLevel = "none"
    # A second subject the reply offers beside the :data:`SHOWN` first (see
    # :meth:`Matcher.second_subject`).
    also: Match | None = None
    foreign: bool = False  # written in another language than French (see :mod:`language`)
    # The situation of ``emergencies`` whose numbers come first, when the danger model is sure
    # of it (see danger_model.LEAD_SHARE); else the most specific leads (answer.py).
    lead: str | None = None
    # The page of the contract the message names by its number or name (« objectif 6.3 »,
    # « thématique 6 »): an objective is the answer; a theme or an orientation is shown as its
    # page by the assistant (see :mod:`references`).
    page: Reference | None = None
    # The glossary word whose meaning the message asks (« c'est quoi un QPV ? »), shown with
    # its definition by the assistant (see :mod:`glossary`).
    term: str | None = None
    # The situations whose numbers the message asks for (« c'est quoi le numéro pour les
    # violences conjugales ? »): the reply shows their numbers as a danger's block (see
    # :mod:`helplines`). Never set with ``emergencies``: a danger gets its own numbers.
    helplines: tuple[Situation, ...] = ()
    # Contacts of the emergency block to show before the others: the service a bare call for
    # help asks the number of (« numéro de la police »: the 17; see :meth:`Matcher.match`).
    first: tuple[str, ...] = ()

    @property
    def emergency(self) -> bool:
        return bool(self.emergencies)

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


def _best(scores: dict[int, float], count: int) -> list[tuple[int, float]]:
    """The ``count`` best (objective, score), best first; equal scores in the contract's order
    (as ``heapq.nlargest`` on (score, -objective), without a Python key call per item)."""
    ordered = sorted(scores.items(), key=itemgetter(1), reverse=True)  # stable: ties keep order
    return ordered[:count]


class Matcher:
    """Telegram-free matcher over one knowledge snapshot. Build a new one to reload."""

    def __init__(self, knowledge: Knowledge, topics: TopicModel | None = None) -> None:
        # Building allocates hundreds of thousands of objects that all live on: the garbage
        # collector's passes over them meanwhile find nothing and cost a tenth of the build.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._build(knowledge, topics)
        finally:
            if collecting:
                gc.enable()

    def _build(self, knowledge: Knowledge, topics: TopicModel | None) -> None:
        self.knowledge = knowledge
        cleaned = CleanedExamples.of(knowledge)
        self.index = Index.build(knowledge, cleaned)
        self.safety = SafetyDetector(knowledge.situations, knowledge.safe_idioms, knowledge.lexicon)
        self.helplines = Helplines(knowledge)
        self.danger = danger_model_for(knowledge.danger_examples)
        self.topics = topics or TopicModel(knowledge, topic_examples(knowledge, cleaned))
        self._situations = {s.id: s for s in knowledge.situations}
        self._words: dict[frozenset[str], _Word | None] = {}
        self._pairs: dict[tuple[frozenset[str], frozenset[str]], _Pair] = {}
        self._smalltalk: list[tuple[tuple[str, ...], str]] = []
        for category, (_reply, *phrases) in knowledge.smalltalk.items():
            for phrase in phrases:
                self._smalltalk.append((tuple(words(phrase)), category))
        self._smalltalk.sort(key=lambda p: -len(p[0]))
        # By first word, longest first: a long message tries only the phrases that can start
        # at each of its words.
        self._smalltalk_at: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for split, cat in self._smalltalk:
            self._smalltalk_at.setdefault(split[0], []).append((split, cat))
        # One group per objective (its index) and one for « hors sujet »; cleaned as messages
        # are (« j'ai 17 ans » loses its number on both sides).
        groups = {
            str(i): [self._content(words(e)) for e in cleaned.by_objective[o.id]]
            for i, o in enumerate(knowledge.objectives)
        }
        groups[OUT] = [self._content(words(e)) for e in cleaned.out_of_scope]
        self.neighbours = Neighbours(groups)
        self._example_best = GroupMax(self.index.example_objective, len(self.index.objective_ids))

    def prepare(self) -> None:
        """Build now what a first message would (the typo search, the word lists, the names of the
        contract's parts, the decision rule): for a bot that answers many messages from this
        snapshot, before :func:`bot.store.settle_memory` freezes it. A one-off ``ask`` skips it:
        most single questions need no typo search."""
        self.index.normalizer.prepare()
        references.prepare(self.knowledge)
        glossary.prepare(self.knowledge)
        foreign_words()
        rule()

    # -- chit-chat -------------------------------------------------------------------------
    def _content(self, seq: list[str]) -> list[str]:
        """The words of a message without its chit-chat phrases (« bonjour », « merci
        beaucoup », « bonne journée ») and the phrases that frame its question (« mon but c'est
        de », « je me demandais si »: see :mod:`frames`), nor those that say it is not urgent
        (« pas urgent, c'est pour un stage de 3e »: their words drowned the stage's, and the bot
        said it did not know): they say nothing about any objective."""
        return reassurance_dropped(self._without_chitchat(seq, frames=True))

    def _asked_first(
        self, text: str, tokens: list[str], triggered: list[Situation]
    ) -> tuple[str, ...]:
        """The contacts to show first when the message is a bare call for help that asks for a
        service's number (« numéro de la police », « c'est quoi le numéro du samu »): « police »
        alone is a call for help (:data:`ALONE`, /urgence's list, which begins with the 15); the
        request says whose number comes first (the 17). The first contact of each situation the
        request names (see :mod:`helplines`)."""
        if not (len(triggered) == 1 and triggered[0].id == ALONE):
            return ()
        asked = (s for s in self._helplines(text, tokens) if s.id != ALONE)
        firsts = (self.knowledge.shown_contacts(s.contact_ids)[:1] for s in asked)
        return tuple(dict.fromkeys(c.id for contacts in firsts for c in contacts))

    def _triggered(self, tokens: list[str]) -> list[Situation]:
        """The situations the trigger phrases of a message (its words) name (see
        :meth:`_read_triggers`)."""
        return self._read_triggers(tokens)[0]

    def _read_triggers(self, tokens: list[str]) -> tuple[list[Situation], list[Situation]]:
        """The situations the trigger phrases of a message (its words) name, in the message as
        written and with a plan told plainly (« son but c'est de me tuer » also as « il veut me
        tuer »: see :data:`~bot.matching.frames.INTENTS`), and those of them the plan names. A
        bare call for help (:data:`ALONE`) only as written: « j'ai prévu d'appeler la police »
        is no « police ! »."""
        found = self.safety.detect_words(tokens, self._without_chitchat)
        plain = plainly(tokens)
        if plain is tokens:
            return found, []
        by_plan = [
            s for s in self.safety.detect_words(plain, self._without_chitchat) if s.id != ALONE
        ]
        named = {s.id for s in found} | {s.id for s in by_plan}
        return [s for s in self.safety.situations if s.id in named], by_plan

    def _without_chitchat(self, seq: list[str], frames: bool = False) -> list[str]:
        """The words of a message without its chit-chat phrases, and without its frames if
        ``frames``. The danger detectors read it without dropping frames: « ma demande est
        urgente » is not « urgente » alone (a bare call for help), and « mon rêve ce serait de
        disparaître » keeps the words that make it a `sure` danger."""
        # Only where a phrase may start: a wall of 700 words is looked at in a few places.
        first = self._smalltalk_at
        spots = [] if first.keys().isdisjoint(seq) else [i for i, w in enumerate(seq) if w in first]
        if frames and (framed := frame_starts(seq)):
            spots = sorted({*spots, *framed})
        out: list[str] = []
        done = 0  # seq[:done] is read
        for i in spots:
            if i < done:
                continue
            size = next(
                (
                    len(phrase)
                    for phrase, _cat in self._smalltalk_at.get(seq[i], ())
                    if tuple(seq[i : i + len(phrase)]) == phrase
                ),
                0,
            )
            if not size and frames:
                size = frame_at(seq, i)
            if size:
                out += seq[done:i]
                done = i + size
        out += seq[done:]
        return out

    def _smalltalk_in(self, seq: list[str]) -> str | None:
        """The chit-chat category when the message (its words) holds nothing but chit-chat."""
        if not seq:
            return None
        category: str | None = None
        i = 0
        while i < len(seq):
            for phrase, cat in self._smalltalk_at.get(seq[i], ()):
                if tuple(seq[i : i + len(phrase)]) == phrase:
                    # « a+ » is read « a »: a letter alone says no goodbye (« à l'aide »).
                    if any(len(w) > 1 for w in phrase):
                        category = category or cat
                    i += len(phrase)
                    break
            else:
                if seq[i] not in STOPWORDS:
                    return None
                i += 1
        return category

    def _opening(self, seq: list[str]) -> str | None:
        """The chit-chat category of the phrase the message opens with, if any."""
        for phrase, cat in self._smalltalk_at.get(seq[0], ()) if seq else ():
            if tuple(seq[: len(phrase)]) == phrase:
                return cat
        return None

    # -- scoring ---------------------------------------------------------------------------
    def _word(self, alts: frozenset[str]) -> _Word | None:
        """What one position of a message says about every objective; ``None`` when the
        knowledge has none of its alternatives."""
        idx = self.index
        known = frozenset(a for a in alts if a in idx.idf)
        if not known:
            return None
        best = np.zeros(len(idx.objective_ids))
        for a in known:
            w_idf = idx.idf[a]
            flat = idx.postings[a]
            for o, w in zip(map(int, flat[::2]), flat[1::2], strict=True):
                v = w_idf * w
                if v > best[o]:
                    best[o] = v
        return _Word(
            known,
            max(idx.idf[a] for a in known),
            best,
            tuple({o for a in known for o in idx.strong.get(a, ())}),
            # A position counts once per example, whichever of its alternatives is there.
            np.array(
                sorted({e for a in known for e in idx.example_postings.get(a, ())}),
                dtype=np.int64,
            ),
        )

    def _remember(self, alts: frozenset[str]) -> _Word | None:
        word = self._words[alts] = self._word(alts)
        return word

    def _nearest_examples(
        self, held: list[npt.NDArray[np.int64]], weights: list[float], denominator: float
    ) -> npt.NDArray[np.float64]:
        """By objective index, how much of the message its nearest example question explains:
        the idf mass they share over the mass of both together (weighted Jaccard). In numpy:
        a common word is held by hundreds of the thousands of examples."""
        if not held:
            return np.zeros(len(self.index.objective_ids))
        idx = self.index
        shared = np.bincount(
            np.concatenate(held),
            weights=np.repeat(weights, [len(h) for h in held]),
            minlength=len(idx.example_mass),
        )
        return self._example_best(shared / (denominator + idx.example_mass - shared))

    def _pair(self, pairs: list[tuple[str, str]], rows: list[int]) -> _Pair:
        """What two words side by side say beyond each one alone (``pairs``: the pairs of
        their alternatives, from :meth:`_alternative_pairs`; ``rows``: the bigram row of
        each)."""
        idx = self.index
        bonus: dict[int, float] = {}
        phrase: dict[int, float] = {}
        for (a, b), row in zip(pairs, rows, strict=True):
            for o in idx.strong_pairs.get((a, b), ()):
                phrase[o] = max(phrase.get(o, 0.0), idx.idf[a] + idx.idf[b])
            if row >= 0:
                for o, v in idx.bigrams.at(row):
                    if v > bonus.get(o, 0.0):
                        bonus[o] = v
        if not bonus and not phrase:
            return _NO_PAIR
        return _Pair(tuple(bonus.items()), tuple(phrase.items()))

    @staticmethod
    def _alternative_pairs(left: _Word, right: _Word) -> list[tuple[str, str]]:
        return [(a, b) for a in left.known for b in right.known]

    def _pairs_of(self, seq: list[_Word | None]) -> Counter[_Pair]:
        """What the message's neighbouring words say as pairs, with how often each pair
        stands in it. What a pair says is remembered; the pairs new to that memory are looked
        up in the bigrams all at once."""
        cache = self._pairs
        neighbours = Counter(
            (left, right) for left, right in pairwise(seq) if left is not None and right is not None
        )
        new = [
            (lr, self._alternative_pairs(*lr))
            for lr in neighbours
            if (lr[0].known, lr[1].known) not in cache
        ]
        rows = self.index.bigrams.rows_of([p for _lr, pairs in new for p in pairs])
        start = 0
        for (left, right), pairs in new:
            cache[(left.known, right.known)] = self._pair(pairs, rows[start : start + len(pairs)])
            start += len(pairs)
        found: Counter[_Pair] = Counter()
        for (left, right), count in neighbours.items():
            pair = cache[(left.known, right.known)]
            if pair is not _NO_PAIR:
                found[pair] += count
        if len(cache) > CACHE_SIZE:
            cache.clear()
        return found

    def _scores(
        self, tokens: list[str]
    ) -> tuple[npt.NDArray[np.float64] | None, float, int, npt.NDArray[np.float64], int]:
        """Scores in [0, 1] of the objectives, by index (``None`` when the knowledge knows
        none of the message's words); the evidence:
        the largest idf mass that one objective's keywords, wording or whole vocabulary
        phrases explain; and the message's number of positions."""
        idx = self.index
        # What a word says depends on the word alone: it is worked out once per knowledge
        # version and remembered (bounded), so long messages and frequent words cost lookups.
        cache = self._words
        seq = [
            cache[alts] if alts in cache else self._remember(alts)
            for alts in idx.normalizer.positions_of(tokens)
        ]
        if len(cache) > CACHE_SIZE:
            cache.clear()
        # Long messages repeat their words: each distinct word (and word pair) is counted
        # once, times the number of its occurrences.
        words_seen = Counter(seq)
        unknown = words_seen.pop(None, 0)
        strong: dict[int, float] = defaultdict(float)
        mass = 0.0
        held: list[npt.NDArray[np.int64]] = []
        weights: list[float] = []
        rows: list[npt.NDArray[np.float64]] = []
        counts: list[float] = []
        for word, count in words_seen.items():
            assert word is not None
            weight = word.weight * count
            mass += weight
            rows.append(word.objectives)
            counts.append(count)
            for o in word.strong:
                strong[o] += weight
            if len(word.examples):
                held.append(word.examples)
                weights.append(weight)
        if mass == 0.0:
            return None, 0.0, len(seq), np.zeros(len(idx.objective_ids)), unknown
        # Summed down the words, one after the other (as a loop would: a reduction along the
        # first axis adds row by row).
        bag = (np.array(rows) * np.array(counts)[:, None]).sum(axis=0)
        # Two words side by side that also stand together in the knowledge say more; a whole
        # vocabulary phrase ("heures de conduite") is evidence where one of its words is not.
        pair_strong: dict[int, float] = {}
        for pair, count in self._pairs_of(seq).items():
            for o, v in pair.bonus:
                bag[o] += v * count
            for o, v in pair.phrase:
                if v > pair_strong.get(o, 0.0):
                    pair_strong[o] = v
        for o, v in pair_strong.items():
            strong[o] += v
        # A word the knowledge has never seen dilutes the score like a median known word.
        denominator = mass + unknown * idx.unknown_weight
        knn = self._nearest_examples(held, weights, denominator)
        coverage = np.minimum(1.0, bag / denominator)
        out = (1 - KNN_WEIGHT) * coverage + KNN_WEIGHT * np.minimum(1.0, 2 * knn)
        return out, max(strong.values(), default=0.0), len(seq), bag, unknown

    def match(self, text: str) -> MatchResult:
        text = text[:MAX_CHARS]
        tokens = words(text)  # once: safety and chit-chat start from the words
        subject = self._subject(text)
        cleaned = words(subject)
        # Read without personal details: « bonsoir madame Dupont » is a greeting; so is « Salut
        # Karim ! », of which the name's pattern leaves nothing.
        small = self._smalltalk_in(cleaned) if cleaned else self._opening(tokens)
        triggered, by_plan = self._read_triggers(tokens)
        asked_first = self._asked_first(text, tokens, triggered)
        # Chit-chat for the danger detectors only when at most a word or two is left beside
        # the greeting: « bonjour je veux plus être là », « salut ils sont là » are no greetings.
        greeting = small is not None and (
            sum(len(w) > 1 for w in self._without_chitchat(cleaned)) <= danger_model.TINY_WORDS
        )
        emergencies, level, lead = self.danger_of(
            text, tokens, cleaned, chitchat=greeting, triggered=triggered
        )
        if level != "none" and by_plan:
            # A plan names its danger: « son but c'est de me tuer » is « il veut me tuer », a
            # threat the trigger « veut me tuer » names; the model reads « me tuer » as a wish
            # to die, and its block (3114) led, the 17 fourth.
            lead = by_plan[0].id
        # Before chit-chat: « bonjour, l'objectif 6.3 svp » has no words left once its number is
        # set aside. A danger the bot is sure of keeps its own answer.
        page = reference(self.knowledge, text) if level != "sure" else None
        if page is not None:
            named = (Match(page.id, 1.0),) if page.kind == "obj" else ()
            decision: Decision = "answer" if named else "unknown"
            evidence = 1.0 if named else 0.0
            return MatchResult(
                text,
                decision,
                named,
                emergencies,
                None,
                evidence,
                level,
                lead=lead,
                page=page,
                first=asked_first,
            )
        if small is not None:
            return MatchResult(
                text, "unknown", (), emergencies, small, 0.0, level, lead=lead, first=asked_first
            )
        signals, ranked, decision = self._decided(self._content(cleaned))
        aside: Match | None = None
        if level == "sure" and triggered and ranked:
            # The emergency block answers the danger: the card answers the question told
            # beside it (« un mec m'a menacé au couteau hier, et sinon ya du sport le soir ? »),
            # and the objective the danger's words point to stays one button away. Only for a
            # danger named by a trigger: the model alone may be wrong, and its words may be the
            # question's (« … je suis au chômage … »).
            question = self._question_part(subject)
            if question:
                found = self._decided(question)
                if found[2] != "unknown":
                    first, score = ranked[0]
                    aside = Match(self.index.objective_ids[first], round(score, 4))
                    signals, ranked, decision = found
        # Weak candidates stay in the result (the JSON output and staff report show them);
        # the decision alone says whether the bot may claim an answer.
        matches = tuple(
            Match(self.index.objective_ids[o], round(score, 4)) for o, score in ranked if score > 0
        )
        # A message that is nothing but a danger no objective answers, in so many words (« ya
        # le feu chez le voisin », « urgence »: a trigger of a situation marked « sans_fiche »)
        # gets the emergency block and the themes: a card chosen from its other words (the
        # neighbourhood's quiet, waste) would answer a question nobody asked. A danger told
        # beside a question (another sentence: « … Et je cherche du travail ») keeps its card,
        # and so does a message only the model finds alarming: it may be wrong.
        if (
            level == "sure"
            and all(s.no_card for s in emergencies)
            and not danger_model.sentences(text)
            and triggered
        ):
            decision = "unknown"
        also = None
        if aside is not None and aside.objective_id not in {
            m.objective_id for m in matches[:SHOWN]
        }:
            also = aside
        elif decision != "unknown" and len(subject) <= SECOND_MAX_CHARS:
            below = [o for o, score in ranked[SHOWN:] if score > 0]
            second = self.second_subject(subject, below) if below else None
            also = None if second is None else matches[[o for o, _s in ranked].index(second)]
        return MatchResult(
            text,
            decision,
            matches,
            emergencies,
            None,
            signals.evidence,
            level,
            also,
            is_foreign(text, tokens),
            lead,
            # Matched as any message (its figures and `ask --json` stay the same); the
            # assistant shows the definition instead.
            term=self._term(text, tokens) if level != "sure" else None,
            # Which number to call, asked where no danger is seen (a danger gets its numbers).
            helplines=self._helplines(text, tokens) if level == "none" else (),
            first=asked_first,
        )

    def _decided(self, content: list[str]) -> tuple[Signals, list[tuple[int, float]], Decision]:
        """The signals of a message's content words, its objectives ranked (best first; equal
        scores keep the contract's order) and the decision."""
        signals = self.signals(content)
        ranked = _best(signals.fused, MAX_MATCHES)
        features = self.features(signals, [o for o, _s in ranked])
        decision: Decision = rule().decide(features, signals.evidence) if ranked else "unknown"
        # Word for word an example question of the first objective (decision.EXACT_EXAMPLE).
        if ranked and signals.near.get(str(ranked[0][0]), 0.0) >= EXACT_EXAMPLE:
            decision = "answer"
        return signals, ranked, decision

    def _question_part(self, subject: str) -> list[str]:
        """The content words of the sentences and clauses of a message that speak of no
        danger (no trigger, and the danger model does not find one likely), when others do;
        else nothing."""
        parts = clauses(subject)
        calm = [
            p
            for p in parts
            if not self._triggered(words(p))
            and (self.danger is None or self.danger.score(p).danger < danger_model.POSSIBLE)
        ]
        if not calm or len(calm) == len(parts):
            return []
        return self._content(words(" ".join(calm)))

    def second_subject(self, subject: str, below: list[int]) -> int | None:
        """A second subject of a message that raises two (« ya du deal dans le hall. et
        sinon je cherche du taf »; ``subject``: its subject part without personal details, see
        :mod:`clean`): the first objective of ``below`` (those the whole message
        ranks just under the :data:`SHOWN` ones, best first) that one of its sentences or
        clauses ranks first. On a development set of two-subject messages written from the
        contract, both subjects offered went from 81 % to 87 %, at one more button for a
        third of long messages that raise one subject (docs/measurements.md). A clause alone
        does not decide: its words are few, and a self-introduction (« je suis animatrice »)
        or a detail of context points somewhere with confidence."""
        contents = [c for p in clauses(subject) if len(c := self._content(words(p))) >= 2]
        if len(contents) < 2:
            return None
        learned = self.topics.probabilities_of_parts(
            [self.index.normalizer.spelled(c) for c in contents]
        )
        firsts: set[int] = set()
        for number, content in enumerate(contents):
            word_score = self._scores(content)[0]
            fused = LEARNED_SHARE * learned[:, number].astype(np.float64)
            if word_score is not None:
                fused += WORD_SHARE * word_score
            firsts.add(int(np.argmax(fused)))  # on a tie, the first in the contract's order
        return next((o for o in below if o in firsts), None)

    def features(self, signals: Signals, ranked: list[int]) -> Features:
        """What the decision reads of a message (``ranked``: objective indexes, best first)."""
        first = ranked[0] if ranked else -1
        top = signals.fused.get(first, 0.0)
        second = signals.fused.get(ranked[1], 0.0) if len(ranked) > 1 else 0.0
        return Features(
            top=top,
            lead=top - second,
            words=float(signals.words[first]) if ranked else 0.0,
            mass=math.log1p(float(signals.mass[first]) if ranked else 0.0),
            evidence=math.log1p(signals.evidence),
            size=math.log1p(signals.size),
            known=1.0 - signals.unknown / signals.size if signals.size else 0.0,
            near_lead=signals.near_in - signals.near.get(OUT, 0.0),
            learned=float(signals.learned[first]) if ranked else 0.0,
            learned_out=signals.learned_out,
        )

    def danger_of(
        self,
        text: str,
        tokens: list[str],
        cleaned: list[str] | None = None,
        chitchat: bool = False,
        triggered: list[Situation] | None = None,
    ) -> tuple[tuple[Situation, ...], DangerLevel, str | None]:
        """The situations a message speaks of, how sure that is, and the one whose numbers
        come first when the danger model is sure of it (see :attr:`MatchResult.lead`).
        ``cleaned``: the words of its subject part without personal details (see
        :meth:`_cleaned`), and ``triggered``: the situations its trigger phrases name, when
        the caller has them already; ``chitchat``: the message is nothing but chit-chat
        (« bonjour madame », « merci »)."""
        if triggered is None:
            triggered = self._triggered(tokens)
        # The model learnt danger from messages that often open with « Bonjour madame »: on a
        # greeting alone it has nothing else to read and must not raise an alarm.
        if self.danger is None or chitchat:
            return tuple(triggered), "sure" if triggered else "none", None
        score = self.danger.score(text)
        level: DangerLevel
        # Read in the subject part: a message longer than that has context anyway.
        if cleaned is None:
            cleaned = self._cleaned(text)
        if triggered:
            # Words of two letters or more: « jvais me foutre en l'air jte jure » is read « j
            # vais me foutre en l air j te jure », six words, not ten.
            # Nor « c'est pas urgent »: it is no context for doubt (« je veux me tuer, c'est pas
            # urgent mais bon » is `sure`).
            said_all = reassurance_dropped(cleaned)
            context = sum(len(w) > 1 for w in said_all) >= danger_model.DOUBT_MIN_WORDS
            # A wall of text is read in pieces where the trigger's words may be drowned: the
            # model can doubt a trigger there, not silence it.
            whole = len(text) <= danger_model.WHOLE_MAX_CHARS
            if context and whole and score.danger < danger_model.TRIGGER_VETO:
                return (), "none", None
            doubted = context and score.danger < danger_model.TRIGGER_DOUBT
            level = "possible" if doubted else "sure"
        elif score.danger >= danger_model.POSSIBLE:
            # The model alone, from a handful of words (« je n'ai plus d'argent »: 0.93), does
            # not replace the answer with the emergency block; the line of numbers stays. Small
            # words and greetings are nothing more to read (« bonjour madame je n'ai plus
            # d'argent » has one word that says something).
            said = sum(len(w) > 1 and w not in STOPWORDS for w in self._without_chitchat(cleaned))
            # A message of one or two small words (« mon », « et moi ? ») leaves the model
            # nothing to read. Counted in the words as written: « Bonjour Madame je suis
            # Seule » reads « Seule » as a name.
            if not said and (
                sum(len(w) > 1 for w in self._without_chitchat(tokens)) <= danger_model.TINY_WORDS
            ):
                return (), "none", None
            sure = score.danger >= danger_model.SURE and said >= danger_model.SURE_MIN_WORDS
            level = "sure" if sure else "possible"
        else:
            return (), "none", None
        found = list(triggered)
        learned = self._situations.get(score.situation or "")
        lead = None
        if learned is not None and score.danger >= danger_model.POSSIBLE:
            if learned not in found:
                found.append(learned)
            if score.share >= danger_model.LEAD_SHARE:
                lead = learned.id
        return tuple(found), level, lead

    def _helplines(self, text: str, tokens: list[str]) -> tuple[Situation, ...]:
        """The situations whose numbers the message asks for (see :mod:`helplines`), read in
        its subject part: a question about a number is short, and a 4,096-character wall of
        words that hold « numéro » and « appeler » cost 4 ms read whole."""
        part = subject_part(text)
        return self.helplines.asked(part, tokens if part == text else words(part))

    def _term(self, text: str, tokens: list[str]) -> str | None:
        """The glossary word the message asks the meaning of (see :mod:`glossary`)."""
        part = subject_part(text)
        return glossary.definition(self.knowledge, part, tokens if part == text else None)

    @staticmethod
    def _subject(text: str) -> str:
        """The part of a message its subject is read from, without personal details (see
        :mod:`clean`)."""
        return for_matching(subject_part(text))

    @classmethod
    def _cleaned(cls, text: str) -> list[str]:
        """The words of :meth:`_subject`."""
        return words(cls._subject(text))

    def content_of(self, text: str) -> list[str]:
        """The words of a message that say what it is about (see :mod:`clean`)."""
        return self._content(self._cleaned(text))

    def signals(self, content: list[str]) -> Signals:
        """Every signal the decision looks at, for a message's content words."""
        words_score, evidence, size, mass, unknown = self._scores(content)
        learned, learned_out = self.topics.probabilities(self.index.normalizer.spelled(content))
        word_array = np.zeros(len(self.index.objective_ids)) if words_score is None else words_score
        # The same float64 operations as one objective at a time, in one numpy pass.
        fused_array = WORD_SHARE * word_array + LEARNED_SHARE * learned.astype(np.float64)
        fused = dict(enumerate(fused_array.tolist()))
        near = self.neighbours.nearest(content)
        return Signals(
            learned,
            learned_out,
            fused,
            word_array,
            evidence,
            size,
            mass,
            unknown,
            near,
        )
