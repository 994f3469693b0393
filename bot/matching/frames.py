"""How a message frames what it asks, which says nothing about the subject.

« mon but c'est de trouver un travail », « mon rêve ce serait d'ouvrir un commerce », « j'aimerais
bien savoir si… », « est-ce que ce serait possible de… »: the subject is what follows. Left in,
« but », « rêve » and « objectif » are words the knowledge does not know, or knows from football
and holidays (the topic model read « mon but c'est de trouver un travail » as out of scope), and
the bot said it had not found. The matcher drops these phrases from a message's content words
as it drops greetings (:meth:`bot.matching.matcher.Matcher._content`); the danger detectors never
see this: they read the message's own words.

A frame is a sequence of slots, each a set of words (as :func:`bot.matching.normalize.words`
writes them: lowercase, no accents, elisions split), a slot ending in ``?`` optional. Slots are
matched greedily, left to right.
"""

from __future__ import annotations

from typing import Final

_POSSESSIVE: Final = "mon|ma|notre|son|sa|leur"
# What a resident's aim is called. « projet » and « idée » too: the subject is what follows
# (« mon projet c'est d'ouvrir un commerce » is about starting a business).
_AIM: Final = (
    "but|objectif|reve|souhait|projet|idee|envie|question|souci|probleme|demande|besoin"
    "|priorite|espoir|intention"
)
_IS: Final = "est|cest|serait|serai|serais|sera|etait"
_OF: Final = "de|d|que|qu"

FRAMES: Final = (
    # « mon but c'est de », « mon rêve ce serait d' », « ma question c'est », « mon souci cest que »
    f"{_POSSESSIVE} {_AIM} c|ce? {_IS} {_OF}?",
    f"{_POSSESSIVE} {_AIM} c {_OF}?",  # SMS: « mon but c de »
    # « il me faudrait », « je me demandais si ». Not « j'aimerais », « on aimerait »,
    # « je souhaiterais »: dropping them too changed 8 answers of the earlier question sets (4
    # for the worse, 3 for the better: the topic model reads them in long messages) for one
    # more right answer in blind set 7. Without them, no answer of those sets changed.
    "il me faudrait",
    "je me demandais|demande si?",
    # « est-ce que ce serait possible de », « serait-il possible d' », « est-il possible de »
    "est? ce? que|qu? ce|c? serait|serai|est|etait possible de|d?",
    "serait|est il possible de|d?",
    # « ce que je voudrais c'est », « ce qu'il me faut c'est »
    "ce que je voudrais|veux|voudrai|souhaite|souhaiterais|cherche c? est|cest de|d?",
    "ce qu il me faut|faudrait c? est|cest de|d?",
    # « j'ai envie de », « g envie d' », « j'ai pour projet de »
    "j|je? ai|jai|g envie de|d",
    "j|je? ai|jai pour|le projet de|d",
)

Slot = tuple[frozenset[str], bool]  # its words, and whether it may be skipped


def _parse(frame: str) -> tuple[Slot, ...]:
    return tuple(
        (frozenset(part.rstrip("?").split("|")), part.endswith("?")) for part in frame.split()
    )


_PARSED: Final = tuple(_parse(f) for f in FRAMES)
# Each frame under every word it may start with: its first slots up to the first required one.
_BY_FIRST: Final[dict[str, list[tuple[Slot, ...]]]] = {}
for _slots in _PARSED:
    for _words, _optional in _slots:
        for _w in _words:
            _BY_FIRST.setdefault(_w, []).append(_slots)
        if not _optional:
            break


def frame_at(seq: list[str], i: int) -> int:
    """How many words of ``seq`` from ``i`` a frame takes (the longest), 0 for none."""
    best = 0
    for slots in _BY_FIRST.get(seq[i], ()):
        k = i
        for words, optional in slots:
            if k < len(seq) and seq[k] in words:
                k += 1
            elif not optional:
                break
        else:
            best = max(best, k - i)
    return best
