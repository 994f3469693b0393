"""How a message frames what it asks, which says nothing about the subject.

« mon but c'est de trouver un travail », « mon rêve ce serait d'ouvrir un commerce », « est-ce
que ce serait possible de… », « je me demandais si… »: the subject is what follows. Left in,
« but », « rêve » or « objectif » made the topic model give a third of its probability to « hors
sujet », and the bot said it had not found. The matcher drops these phrases from a message's
content words as it drops greetings (:meth:`bot.matching.matcher.Matcher._content`). The danger
detectors do not: « ma demande est urgente » must not read as « urgente » alone, a bare call for
help. They read the message as written, and, beside it, a plan told plainly (:data:`INTENTS`:
« mon projet c'est de me tuer » also as « me tuer »).

A frame is a sequence of slots, each a set of words (as :func:`bot.matching.normalize.words`
writes them: lowercase, no accents, elisions split), a slot ending in ``?`` optional; the
longest way through the slots counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from bot.matching.normalize import words

# The writer's own aim only: « son objectif est de me faire peur » and « leur projet est de
# faire participer les jeunes » tell what someone else wants, which is the subject.
_POSSESSIVE: Final = "mon|ma|mn|notre"
# What a resident's aim is called. Not « projet » (support for residents' projects is an
# objective: « mon projet c'est d'apprendre à lire » lost 2.4 without it) nor « envie »
# (« mon envie c'est de partir pour toujours » is no holiday question).
_AIM: Final = (
    "but|objectif|reve|souhait|idee|question|souci|probleme|demande|besoin|priorite|espoir"
    "|intention"
)
_VERB: Final = "est|serait|serai|serais|sera|etait"
_OF: Final = "de|d|que|qu"

FRAMES: Final = (
    # « mon but c'est de », « mon rêve ce serait d' », « ma question c'est », « mon souci cest
    # que », « mon but c de »
    f"{_POSSESSIVE} {_AIM} c|ce {_VERB} {_OF}?",
    f"{_POSSESSIVE} {_AIM} cest|c {_OF}?",
    # « mon but est de », « mon rêve serait d' »: the verb alone only before « de » or « que »
    # (« ma demande est urgente », « mon souci est réglé » keep their subject).
    f"{_POSSESSIVE} {_AIM} {_VERB} {_OF}",
    # « je me demandais si ». Not « j'aimerais », « on aimerait », « je souhaiterais »:
    # dropping them too changed 8 answers of the earlier question sets (4 for the worse, 3 for
    # the better: the topic model reads them in long messages) for one more right answer in
    # blind set 7. Nor « je voudrais savoir si » (3 answers changed, one of them to « pas
    # trouvé », none in set 7), nor « il me faudrait » (« il me faudrait un logement plus
    # grand » went from the candidates to « pas trouvé »).
    "je me demandais|demande si?",
    # « est-ce que ce serait possible de », « c'est possible de », « est-ce possible de »,
    # « serait-il possible d' », « est-ce qu'il est possible de »
    "est? ce? que|qu? ce|c|il? serait|serai|est|etait possible de|d?",
    "est|serait ce|il possible de|d?",
    # « ce que je voudrais c'est », « ce qu'il me faut c'est »
    "ce que je voudrais|veux|voudrai|souhaite|souhaiterais|cherche c? est|cest de|d?",
    "ce qu il me faut|faudrait c? est|cest de|d?",
    # « c'est pour un logement », « c'était pour savoir », « cest pour mon fils », « c pour une
    # formation »: « c'est » opens most general-knowledge questions (« c'est quoi la capitale »),
    # so the topic model read « c'est pour une formation » as out of scope (0.85) and the bot
    # said it had not found.
    "c est|etait? pour",
    "cest pour",
    # What announces the subject of a letter or a call: « c'est au sujet d'un logement »,
    # « concernant la crèche », « c'est par rapport à mon fils », « à propos des jardins »,
    # « je vous écris pour », « une info sur le foot ». Their words weighed as much as the
    # subject's in a short message, and the topic model read « je vous écris », « par
    # rapport » as out of scope (writing requests, school questions): « je vous écris pour un
    # logement » was « pas trouvé ».
    "c|cest? est|etait? au sujet de|d|du|des?",
    "c|cest? est|etait? concernant",
    "c|cest? est|etait? par rapport a|au|aux?",
    "c|cest? est|etait? a propos de|d|du|des?",
    "je|j vous|te|t ecris|ecrit|contacte|sollicite pour|car|au|concernant?",
    "je|j vous|t? appelle|appelais pour|car|au|concernant",
    "une|des? petite|petites? info|infos|renseignement|renseignements|question|questions"
    " pour|sur|concernant|svp",
    # Words that say how one speaks, not of what: « franchement, les poubelles qui débordent,
    # on peut faire quoi ? » was « pas trouvé » (« franchement » is no knowledge word, and a
    # short message's unknown words count against it), « les poubelles qui… » answered.
    "franchement|honnetement|sincerement|serieusement|bref",
    "par curiosite|hasard",
    "du coup",
    "en|au fait",
    "vite fait",
    "c|cest? est? encore moi",
    "petite|ptite question|questions",
    "question|questions bete|betes|idiote|con",
    # Apologies and polite openings: « excusez-moi », « désolé de vous déranger », « je me
    # permets de vous écrire », « je ne sais pas si c'est le bon endroit mais ».
    "excusez|excuse moi",
    "excusez",
    "pardon|desole|desolee|dsl|excusez|excuse? moi? de|d vous|te|t deranger|embeter",
    "je|j me|m permets|permet de|d? vous|te|t? ecrire|contacter|demander|solliciter?"
    " pour|car|au|concernant?",
    "je|j ne? sais|sait pas si c|cest est? le bon endroit|interlocuteur|service|numero mais?",
)

Slot = tuple[frozenset[str], bool]  # its words, and whether it may be skipped


def _parse(frame: str) -> tuple[Slot, ...]:
    return tuple(
        (frozenset(part.rstrip("?").split("|")), part.endswith("?")) for part in frame.split()
    )


def _by_first(frames: tuple[tuple[Slot, ...], ...]) -> dict[str, list[int]]:
    """Each frame's number under every word it may start with (the words of its first slots up
    to the first required one), once."""
    found: dict[str, list[int]] = {}
    for number, slots in enumerate(frames):
        starts: set[str] = set()
        for alts, optional in slots:
            starts |= alts
            if not optional:
                break
        for w in sorted(starts):
            found.setdefault(w, []).append(number)
    return found


def _anchors(frames: tuple[tuple[Slot, ...], ...]) -> tuple[frozenset[str], int]:
    """The words one of which every match of a frame holds, and how many words at most stand
    before it in the match. A frame's anchor is its required slot whose shortest word is the
    longest (the first on a tie): « hésite », « possible », « projet », not « je » or « de »,
    which most messages hold."""
    anchors: set[str] = set()
    reach = 0
    for slots in frames:
        required = [n for n, (_words, optional) in enumerate(slots) if not optional]
        at = max(required, key=lambda n: (min(map(len, slots[n][0])), -n))
        anchors |= slots[at][0]
        reach = max(reach, at)
    return frozenset(anchors), reach


def _starts(seq: list[str], anchors: frozenset[str], reach: int) -> list[int]:
    """Where in ``seq`` a frame with these anchors may start, in order: at most ``reach``
    words before an anchor. Most messages hold none, found in one pass in C; a wall of 700
    words is then looked at in a few places, not at each of its words."""
    if anchors.isdisjoint(seq):
        return []
    at = [k for k, w in enumerate(seq) if w in anchors]
    return sorted({s for k in at for s in range(max(0, k - reach), k + 1)})


_PARSED: Final = tuple(_parse(f) for f in FRAMES)
_BY_FIRST: Final = _by_first(_PARSED)
_ANCHORS, _REACH = _anchors(_PARSED)


def frame_starts(seq: list[str]) -> list[int]:
    """The positions of ``seq`` where :func:`frame_at` may find a frame, in order; it finds
    none elsewhere."""
    return _starts(seq, _ANCHORS, _REACH)


def frame_at(seq: list[str], i: int) -> int:
    """How many words of ``seq`` from ``i`` a frame takes (the longest), 0 for none."""
    return max((_longest(seq, i, _PARSED[n]) for n in _BY_FIRST.get(seq[i], ())), default=0)


def _longest(seq: list[str], i: int, slots: tuple[Slot, ...]) -> int:
    """How many words from ``i`` the slots take, the most they can, 0 when they cannot. Every
    way through is followed (an optional slot taken and skipped: « est-ce possible de » needs
    « est » in the verb's slot, not in the first one), as the positions each can reach."""
    reached = {i}
    for alts, optional in slots:
        taken = {k + 1 for k in reached if k < len(seq) and seq[k] in alts}
        reached = taken | reached if optional else taken
        if not reached:
            return 0
    return max(reached) - i


# How a plan or a wish is told, and what the danger detectors read in its place. In a short
# message the frame's words, those of everyday questions (« mon projet c'est de passer le
# permis »), outweighed the danger's: « mon projet c'est de me tuer » scored 0.32, « me tuer »
# 0.82. The danger model scores the message told plainly beside the message as written (see
# :func:`~bot.matching.danger_model.parts_of`): the writer's own plan without its frame (« me
# tuer »); someone else's as what that person wants or will do (« son but c'est de me tuer » is
# « il veut me tuer », a threat, which the triggers of securite.yaml name, and not a wish to die).
# The verb slot is required: « mon projet me tue » is tiredness. Measured on a blind set of short
# framed dangers (docs/measurements.md): dropping the writer's frame did better than reading it
# as « je veux… », which the model, and the triggers, took for a wish to die more often in
# harmless messages (« mon souhait c'est de partir loin d'ici »).
_AIM_OF: Final = (
    "projet|projets|but|buts|objectif|plan|plans|programme|souhait|reve|voeu|desir|idee|intention"
    "|envie|decision|priorite"
)
# « de » or « que » is required: « mon projet est urgent », « ma priorité c'est l'urgence » are
# no plan, and read without their frame they were bare calls for help. Not « était »: a plan
# told in the past (« mon plan c'était de sauter, mais j'ai appelé »).
_IS: Final = "c|ce? est|cest|serait|sera|c"  # « c » alone: SMS for « c'est » (« mon but c de »)
_ONLY: Final = "seul|seule|unique|vrai|grand|dernier|derniere|nouveau|nouvel|nouvelle"
_DECIDED: Final = "decide|prevu"
INTENTS: Final = (
    (f"{_POSSESSIVE}|mes {_ONLY}? {_AIM_OF} {_IS} {_OF}", ""),
    (f"son|sa|ses {_ONLY}? {_AIM_OF} {_IS} {_OF}", "il veut"),
    (f"leur|leurs {_ONLY}? {_AIM_OF} {_IS} {_OF}", "ils veulent"),
    ("tout? ce que|qu je|j veux|voudrais|souhaite|aimerais c? est|cest de|d?", ""),
    ("tout? ce qu il|elle veut|voudrait|souhaite|aimerait c? est|cest de|d?", "il veut"),
    (f"j|je? ai|jai|g {_DECIDED} de|d", ""),
    ("j|je hesite a", ""),
    ("je|jme me? demande|demandais si|s", ""),
    # « elle » and « on » read « il »: « elle a décidé de me tuer » is a threat, and « elle va
    # me tuer » is mostly said of a mother's anger (an idiom of securite.yaml); « on a prévu
    # de me tuer » is someone's threat, and « on va me tuer » no trigger.
    (f"il|elle|on a {_DECIDED} de|d", "il va"),
    (f"ils|elles ont {_DECIDED} de|d", "ils vont"),
)


@dataclass(frozen=True)
class _Rewrites:
    """Phrases (frames, see :func:`_parse`) and the words that replace each, indexed to be
    looked for only near their anchor words (see :func:`_starts`)."""

    frames: tuple[tuple[Slot, ...], ...]
    plain: tuple[tuple[str, ...], ...]
    by_first: dict[str, list[int]]
    anchors: frozenset[str]
    reach: int
    # A phrase whose first word follows a given word (pairs: the word before, the phrase's
    # first word), or right before one of ``not_before``, is left as it is, and nothing
    # inside it is replaced.
    not_after: frozenset[tuple[str, str]] = field(default=frozenset())
    not_before: frozenset[str] = field(default=frozenset())

    @classmethod
    def of(
        cls,
        rewrites: tuple[tuple[str, str], ...],
        not_after: frozenset[tuple[str, str]] = frozenset(),
        not_before: frozenset[str] = frozenset(),
    ) -> _Rewrites:
        frames = tuple(_parse(f) for f, _plain in rewrites)
        plain = tuple(tuple(p.split()) for _f, p in rewrites)
        return cls(frames, plain, _by_first(frames), *_anchors(frames), not_after, not_before)

    def apply(self, seq: list[str]) -> list[str]:
        """``seq`` with each phrase replaced by its words, the longest at each place, left
        to right; ``seq`` itself when it holds none."""
        out: list[str] = []
        done = 0  # seq[:done] is read
        kept = 0  # seq[:kept] holds a phrase left as it is
        for i in _starts(seq, self.anchors, self.reach):
            if i < done or i < kept:
                continue
            taken = 0
            plain: tuple[str, ...] = ()
            for n in self.by_first.get(seq[i], ()):
                size = _longest(seq, i, self.frames[n])
                if size > taken:
                    taken, plain = size, self.plain[n]
            if taken and (
                (i and (seq[i - 1], seq[i]) in self.not_after)
                or (i + taken < len(seq) and seq[i + taken] in self.not_before)
            ):
                kept = i + taken
                continue
            if taken:
                out += seq[done:i]
                out += plain
                done = i + taken
        if not done:
            return seq
        out += seq[done:]
        return out


_EVERY_PLAN: Final = _Rewrites.of(INTENTS)


def plainly(seq: list[str]) -> list[str]:
    """The words of a message (as :func:`~bot.matching.normalize.words` writes them) with each
    way of telling a plan or a wish replaced by its plain words (:data:`INTENTS`); ``seq``
    itself when it holds none."""
    return _EVERY_PLAN.apply(seq)


# How a message says it is not urgent (« c'est pas urgent mais… », « sans urgence », « y a pas
# d'urgence », « rien ne presse » not: no urgency word). The danger model read the urgency and
# not its negation: « ce n'est pas une urgence, mais mon fils sèche les cours » scored 0.95,
# and the emergency block came first. The model reads a message without these phrases
# (:func:`~bot.matching.danger_model.parts_of`); the rest still counts: « pas urgent, mais
# mon conjoint me gifle quand il a bu » is a danger, as victims often tell it. Not « rien de
# grave », « pas en danger »: the model had learnt them as harmless, and without them read
# « je me suis cogné au placard hier, rien de grave » as a danger. Not « plus »: « rien de
# plus urgent » says more, not less.
_URGENT: Final = (
    "urgent|urgente|urgents|urgentes|urgence|presse|pressee|pressant"
    "|durgence|durgent|durgente"  # « pas durgence »: the elision glued
)
_SO: Final = "vraiment|tres|trop|si|super|hyper|tellement|forcement|specialement"
REASSURANCES: Final = (
    f"c|ce|ca|cest n? est|etait? pas|rien du? tout? {_SO}? un|une? {_URGENT}",
    f"rien|pas du? tout? de|d? {_SO}? {_URGENT}",
    f"sans|aucun|aucune {_URGENT}",
    f"y|ya? a? pas|aucun|aucune du? tout? de|d? {_URGENT}",
    # « il n'y a pas d'urgence », « il n'y a rien d'urgent » whole: left behind, « il n »
    # read as a man's violence (« … pour mon fils. Il n'y a aucune urgence. »: `sure`).
    f"il n? y|ya a? pas|rien|aucun|aucune du? tout? de|d? {_URGENT}",
)
_REASSURED: Final = _Rewrites.of(tuple((f, "") for f in REASSURANCES))
# Asked, they may say it is urgent: « c'est pas urgent ça ?? », « n'est-ce pas urgent ? ». Not
# every question: « c pas urgent ? », « ma demande est pas urgente ? » reassure.
_ASKED: Final = _Rewrites.of(
    tuple((f, "") for f in REASSURANCES),
    not_after=frozenset({("est", "ce")}),
    not_before=frozenset({"ca"}),
)
# Where a clause ends: a phrase is looked for inside one (« il ne dort pas, urgent svp » says
# no « pas urgent »). Not a comma inside a number.
_CLAUSE_END: Final = re.compile(r"([,;:!?.…]+)(?=\s|$)")


def reassurance_dropped(seq: list[str]) -> list[str]:
    """Words (as :func:`~bot.matching.normalize.words` writes them) without the phrases that
    say it is not urgent, read as one clause; ``seq`` itself when it holds none."""
    return _REASSURED.apply(seq)


def without_reassurance(text: str) -> tuple[list[str], bool]:
    """The words of ``text`` (as :func:`~bot.matching.normalize.words` writes them) without the
    phrases that say it is not urgent (:data:`REASSURANCES`), each looked for inside its
    clause, and whether there was one."""
    seq = words(text)
    if _REASSURED.anchors.isdisjoint(seq):
        return seq, False
    pieces = _CLAUSE_END.split(text)  # clause, its end, clause, its end, …, the last clause
    out: list[str] = []
    for n in range(0, len(pieces), 2):
        asked = n + 1 < len(pieces) and "?" in pieces[n + 1]
        out += (_ASKED if asked else _REASSURED).apply(words(pieces[n]))
    return out, len(out) < len(seq)
