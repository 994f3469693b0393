"""How a message frames what it asks, which says nothing about the subject.

« mon but c'est de trouver un travail », « mon rêve ce serait d'ouvrir un commerce », « est-ce
que ce serait possible de… », « je me demandais si… »: the subject is what follows. Left in,
« but », « rêve » or « objectif » made the topic model give a third of its probability to « hors
sujet », and the bot said it had not found. The matcher drops these phrases from a message's
content words as it drops greetings (:meth:`bot.matching.matcher.Matcher._content`). The danger
detectors do not: « ma demande est urgente » must not read as « urgente » alone, a bare call for
help, nor « mon rêve ce serait de disparaître » lose the words that make it a danger.

A frame is a sequence of slots, each a set of words (as :func:`bot.matching.normalize.words`
writes them: lowercase, no accents, elisions split), a slot ending in ``?`` optional; the
longest way through the slots counts.
"""

from __future__ import annotations

from typing import Final

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
)

Slot = tuple[frozenset[str], bool]  # its words, and whether it may be skipped


def _parse(frame: str) -> tuple[Slot, ...]:
    return tuple(
        (frozenset(part.rstrip("?").split("|")), part.endswith("?")) for part in frame.split()
    )


_PARSED: Final = tuple(_parse(f) for f in FRAMES)
# Each frame under every word it may start with (the words of its first slots up to the first
# required one), once.
_BY_FIRST: Final[dict[str, list[tuple[Slot, ...]]]] = {}
for _slots in _PARSED:
    _starts: set[str] = set()
    for _words, _optional in _slots:
        _starts |= _words
        if not _optional:
            break
    for _w in sorted(_starts):
        _BY_FIRST.setdefault(_w, []).append(_slots)


def frame_at(seq: list[str], i: int) -> int:
    """How many words of ``seq`` from ``i`` a frame takes (the longest), 0 for none."""
    return max((_longest(seq, i, slots) for slots in _BY_FIRST.get(seq[i], ())), default=0)


def _longest(seq: list[str], i: int, slots: tuple[Slot, ...]) -> int:
    """How many words from ``i`` the slots take, the most they can, 0 when they cannot. Every
    way through is followed (an optional slot taken and skipped: « est-ce possible de » needs
    « est » in the verb's slot, not in the first one), as the positions each can reach."""
    reached = {i}
    for words, optional in slots:
        taken = {k + 1 for k in reached if k < len(seq) and seq[k] in words}
        reached = taken | reached if optional else taken
        if not reached:
            return 0
    return max(reached) - i
