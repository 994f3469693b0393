"""Load the knowledge folder and check it in one pass that reports every problem.

``check_knowledge(dir)`` returns the knowledge (or ``None``) and a :class:`Report`;
``load_knowledge(dir)`` raises :class:`KnowledgeError` when there is any error, so a running bot
can keep its last good knowledge.

Each kind of file is read and checked by its module of ``bot.knowledge.kinds``; this module
runs them in order, then the checks across files. A new field of a file is a line of its
module's spec and the code that uses it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.knowledge import examples
from bot.knowledge.kinds.contacts import (
    LOCAL_FILE,
    NATIONAL_FILE,
    RECHECK_AFTER_DAYS,
    contacts,
)
from bot.knowledge.kinds.crosscheck import cross_check
from bot.knowledge.kinds.glossary import GLOSSARY_FILE, glossary
from bot.knowledge.kinds.lexicon import LEXICON_FILE, lexicon
from bot.knowledge.kinds.objectives import MIN_EXAMPLES, OBJECTIVES_DIR, objectives
from bot.knowledge.kinds.officials import ISO_DATE, OFFICIAL_FILE, REGENERATE
from bot.knowledge.kinds.plain import plain_language
from bot.knowledge.kinds.safety import SAFETY_FILE, safety
from bot.knowledge.kinds.session import CONTACT_ID, Session, fold, yaml_problem_in_french
from bot.knowledge.kinds.smalltalk import SMALLTALK_FILE, smalltalk
from bot.knowledge.kinds.texts import (
    PRIVACY_TEXTS,
    REQUIRED_TEXTS,
    TEXT_KEYS_OPTIONAL,
    TEXTS_FILE,
    texts,
)
from bot.knowledge.kinds.themes import ORIENTATIONS_FILE, THEMES_FILE, orientations, themes
from bot.knowledge.models import ALONE, Knowledge
from bot.knowledge.problems import KnowledgeError, Report

__all__ = [
    "CONTACT_ID",
    "ISO_DATE",
    "LEXICON_FILE",
    "LOCAL_FILE",
    "MIN_EXAMPLES",
    "NATIONAL_FILE",
    "OBJECTIVES_DIR",
    "OFFICIAL_FILE",
    "ORIENTATIONS_FILE",
    "PRIVACY_TEXTS",
    "RECHECK_AFTER_DAYS",
    "REGENERATE",
    "REQUIRED_TEXTS",
    "SAFETY_FILE",
    "SMALLTALK_FILE",
    "TEXTS_FILE",
    "TEXT_KEYS_OPTIONAL",
    "THEMES_FILE",
    "check_knowledge",
    "fold",
    "load_knowledge",
    "yaml_problem_in_french",
]

# The files at the top of the folder; any other .yaml there is reported as ignored.
_TOP_FILES = (
    THEMES_FILE,
    ORIENTATIONS_FILE,
    LEXICON_FILE,
    SAFETY_FILE,
    TEXTS_FILE,
    SMALLTALK_FILE,
    GLOSSARY_FILE,
)


def _run(s: Session) -> Knowledge | None:
    theme_list = themes(s)
    orientation_list = orientations(s)
    objective_list = objectives(s)
    contact_list, locality = contacts(s)
    words = lexicon(s)
    situations, idioms, requests = safety(s)
    text_by_key, general = texts(s)
    chat = smalltalk(s)
    terms = glossary(s)
    out_of_scope = examples.out_of_scope(
        s.root, s.read(examples.OUT_OF_SCOPE_FILE, required=False)[1], s.report
    )
    danger_docs = [
        (path, doc)
        for path in sorted((s.root / examples.DANGER_DIR).glob("*.yaml"))
        if (doc := s.read(f"{examples.DANGER_DIR}/{path.name}")[1]) is not None
    ]
    # With securite.yaml unreadable every situation would look unknown: its syntax error
    # is the one thing to fix first. A situation without triggers is never detected; the
    # one that orders /urgence is found by its triggers alone, in a message that says
    # nothing else (models.ALONE): the model learns neither.
    danger_report = Report(s.root) if SAFETY_FILE in s.unreadable else s.report
    learned = [sit.id for sit in situations if sit.triggers and sit.id != ALONE]
    danger = examples.danger_examples(danger_docs, learned, danger_report)
    known = {examples.OUT_OF_SCOPE_FILE, *_TOP_FILES}
    for extra in sorted(s.root.glob("*.yaml")):
        if extra.name not in known:
            s.report.warn(
                extra,
                1,
                "fichier ignoré par le bot",
                "renommez-le ou déplacez-le : voir knowledge/README.md",
            )
    knowledge = Knowledge(
        themes=tuple(theme_list),
        orientations=tuple(orientation_list),
        objectives=tuple(objective_list),
        contacts=tuple(contact_list),
        lexicon=words,
        situations=tuple(situations),
        safe_idioms=tuple(idioms),
        texts=text_by_key,
        general_contact_ids=general,
        smalltalk=chat,
        out_of_scope=out_of_scope,
        danger_examples=danger,
        locality=locality,
        glossary=tuple(terms),
        number_requests=tuple(requests),
    )
    cross_check(s, knowledge)
    plain_language(s, knowledge)
    return knowledge if s.report.ok else None


def check_knowledge(root: Path, today: date | None = None) -> tuple[Knowledge | None, Report]:
    """Load and check everything under ``root``; never raises for bad content.

    ``today`` (for the tests) is the date a contact's ``verifie_le`` is compared with.
    """
    session = Session(Path(root), today)
    if not session.root.is_dir():
        session.report.error(
            session.root,
            1,
            "dossier de connaissances introuvable",
            "indiquez le bon dossier (KNOWLEDGE_DIR)",
        )
        return None, session.report
    knowledge = _run(session)
    return knowledge, session.report


def load_knowledge(root: Path) -> Knowledge:
    knowledge, report = check_knowledge(root)
    if knowledge is None:
        raise KnowledgeError(report)
    return knowledge
