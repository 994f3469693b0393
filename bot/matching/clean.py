"""What of a message counts for matching: its subject, not who writes or how to reach them.

« Bonjour, je m'appelle Fatima. Je cherche du travail, rappelez-moi au 06 12 34 56 78 merci »
is about work. The phone number, the e-mail, the street address, the name, ages and other
plain numbers say nothing about any objective; counted as words the knowledge does not know,
they used to lower every score. The question log's detectors (:mod:`bot.staff.redact`) find
them; here they are blanked instead of replaced by a placeholder. Greetings, thanks and
sign-offs are the chit-chat phrases of ``bavardage.yaml``: the matcher drops them from the
words (see :meth:`bot.matching.matcher.Matcher._content`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bot.disk_cache import remembered
from bot.knowledge.models import Knowledge
from bot.matching.normalize import SENTENCE_END
from bot.staff import redact as redact_module
from bot.staff.redact import ADDRESS, EMAIL, NAME, NUMBER, PHONE, folded, redact

log = logging.getLogger(__name__)

CACHE_PREFIX: Final = "exemples-nettoyes-"

_PLACEHOLDERS: Final = re.compile(
    "|".join(re.escape(p) for p in (PHONE, EMAIL, NUMBER, ADDRESS, NAME))
)
# A name given without « je m'appelle »: « moi c'est Awa », « ici Mamadou », a signature; and
# what introduces a name or asks to be called back, which says nothing about the subject.
_NAMED: Final = re.compile(
    r"(?:\b(?i:moi\s+c['’]?\s*est)|^\s*(?i:ici|c['’]est)|\b(?i:je\s+suis)"
    r"|^\s*(?i:bonjour|bonsoir|salut|salam|coucou|hello)\s*,?)"
    r"\s+[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)?"
    # A signature: a capitalised name or two closing the message after a comma, a line, or
    # the question (« … ça existe ? Fatima »).
    r"|[,\n?!]\s*[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)?[\s,.!]*$"
    r"|(?i:\b(?:je\s+m['’]?\s*appelle|j['’]?\s*m['’]?\s*appelle|mon\s+nom\s+(?:est|c['’]?\s*est))"
    r"|\b(?:(?:vous\s+pouvez|pouvez[\s-]vous|tu\s+peux|merci\s+de)\s+)?"
    r"(?:me\s+(?:rappeler|recontacter|joindre|contacter)|rappelez[\s-]moi|recontactez[\s-]moi)"
    r"(?:\s+(?:au|sur\s+le|par\s+mail|par\s+t[ée]l[ée]phone))?)"
)
# What the subject is read from: the first this many characters, cut between two words. The
# longest resident messages in every test set are under 420 characters; a 4,096-character wall
# would otherwise cost its whole length in every signal (danger is looked for everywhere: see
# :mod:`bot.matching.danger_model`).
SUBJECT_CHARS: Final = 1200
# Ages, counts, dates and times: « 10 ans », « 3 enfants », « le 12/03 », « à 14h ».
_NUMBERS: Final = re.compile(r"\b\d+(?:[/.h:-]\d+)*(?:e|er|eme|ème|h)?\b")


# Where a message may turn to another subject: between sentences, and at « et aussi »,
# « sinon », « par ailleurs », « , et »… (« ya du deal dans le hall. et sinon je cherche du
# taf »). Not at a bare « et »: « des espaces verts et des jeux » is one subject (splitting
# there too offered both subjects of one more message in 150, and an extra button to half as
# many again of the messages with one subject).
_TURNS: Final = (
    r"(?i:et\s+aussi|et\s+sinon|et\s+puis|sinon|autre\s+chose|par\s+ailleurs|en\s+plus"
    r"|au\s+passage|ah\s+et|de\s+plus|par\s+contre|mais\s+aussi)\b[\s,:]*"
)
_CLAUSES: Final = re.compile(
    rf"{SENTENCE_END}\s+(?:{_TURNS}|(?i:et)\b\s*)?|\s*[,:]?\s+{_TURNS}|\s*,\s*(?i:et)\b\s*"
)
MAX_CLAUSES: Final = 8


def clauses(text: str) -> list[str]:
    """The sentences and clauses of ``text`` (at most :data:`MAX_CLAUSES`), when it has more
    than one."""
    parts = [p for p in _CLAUSES.split(text) if p and not p.isspace()]
    return parts[:MAX_CLAUSES] if len(parts) > 1 else []


def subject_part(text: str) -> str:
    """The beginning of ``text`` that its subject is read from (:data:`SUBJECT_CHARS`)."""
    if len(text) <= SUBJECT_CHARS:
        return text
    cut = text[: SUBJECT_CHARS + 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return cut[:space] if space > SUBJECT_CHARS // 2 else cut[:SUBJECT_CHARS]


# Without one of these, ``_NAMED`` cannot match: its names start with a capital letter and its
# other phrases hold one of the words (tried from every position, it cost a 150-character
# message 25 µs).
_CAPITAL: Final = re.compile(r"[A-ZÀ-Ý]")
_NAMED_WORDS: Final = ("appel", "nom", "contact", "joindre")
_DIGIT: Final = re.compile(r"\d")


def for_matching(text: str) -> str:
    """``text`` without personal details and plain numbers; what remains is matched."""
    text = redact(text)
    if "[" in text:
        text = _PLACEHOLDERS.sub(" ", text)
    if _CAPITAL.search(text) or any(w in folded(text) for w in _NAMED_WORDS):
        text = _NAMED.sub(" ", text)
    return _NUMBERS.sub(" ", text) if _DIGIT.search(text) else text


@dataclass(frozen=True)
class CleanedExamples:
    """The knowledge's example messages as the matcher reads messages (:func:`for_matching`),
    cleaned once per build: the index, the topic model and the nearest-example groups all read
    them, and cleaning 5,000 texts three times was most of a reload."""

    by_objective: dict[str, tuple[str, ...]]
    out_of_scope: tuple[str, ...]

    @classmethod
    def of(cls, knowledge: Knowledge) -> CleanedExamples:
        texts = [e for o in knowledge.objectives for e in o.examples]
        texts += knowledge.out_of_scope
        cleaned = iter(_cleaned(texts))
        return cls(
            {o.id: tuple(next(cleaned) for _e in o.examples) for o in knowledge.objectives},
            tuple(next(cleaned) for _e in knowledge.out_of_scope),
        )


def _cleaned(texts: list[str]) -> list[str]:
    """``for_matching`` of each text, remembered on disk (:mod:`bot.disk_cache`) by the hash
    of the texts and of the cleaning code: cleaning the knowledge's 4,000 examples was a fifth
    of `ask`'s start-up."""
    digest = hashlib.sha256()
    for module in (__file__, redact_module.__file__):
        digest.update(Path(module).read_bytes())
    for text in texts:
        digest.update(b"\0" + text.encode())

    def decode(data: bytes) -> list[str] | None:
        found = json.loads(data.decode("utf-8"))
        if isinstance(found, list) and len(found) == len(texts):
            return [str(t) for t in found]
        return None

    return remembered(
        CACHE_PREFIX,
        ".json",
        digest.hexdigest()[:16],
        lambda: [for_matching(t) for t in texts],
        lambda cleaned: json.dumps(cleaned, ensure_ascii=False).encode("utf-8"),
        decode,
    )
