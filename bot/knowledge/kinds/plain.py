"""What residents read, once everything is loaded: short sentences, « vous », and easy
explanations (warnings only; the rules are in ``bot.knowledge.readability``)."""

from __future__ import annotations

from bot.knowledge import readability
from bot.knowledge.fields import RecordReader
from bot.knowledge.kinds.session import Session
from bot.knowledge.models import Knowledge


def _review(
    s: Session,
    r: RecordReader,
    line: int,
    text: str,
    what: str,
    *,
    needs_you: bool = False,
    needs_score: bool = False,
) -> None:
    findings = readability.review(text, what, needs_you=needs_you, needs_score=needs_score)
    if not findings:
        return
    if r.path not in s.file_lines:
        s.file_lines[r.path] = r.path.read_text(encoding="utf-8").splitlines()
    for f in findings:
        where = (
            readability.line_of_sentence(s.file_lines[r.path], line, f.sentence)
            if f.sentence
            else line
        )
        r.warn(where, f.message, f.fix)


def plain_language(s: Session, k: Knowledge) -> None:
    """Warn where a text residents read is hard to read."""
    for t in k.themes:
        r, rec = s.where[f"thématique:{t.id}"]
        line = rec.line_at("explication")
        what = f"thématique {t.id}"
        _review(s, r, line, t.explanation, what, needs_you=True, needs_score=True)
    for o in k.objectives:
        r, rec = s.where[o.id]
        line = rec.line_at("explication")
        what = f"objectif {o.id}"
        _review(s, r, line, o.explanation, what, needs_you=True, needs_score=True)
    for sit in k.situations:
        r, rec = s.where[f"situation:{sit.id}"]
        line = rec.line_at("message")
        _review(s, r, line, sit.message, f"situation « {sit.id} »", needs_you=True)
    for c in k.contacts:
        r, rec = s.where[f"contact:{c.id}"]
        _review(s, r, rec.line_at("pour"), c.purpose, f"contact {c.id}")
    for term in k.glossary:
        r, rec = s.where[f"terme:{term.id}"]
        _review(s, r, rec.line_at("definition"), term.definition, f"terme « {term.id} »")
    for key, value in k.texts.items():
        r, line = s.text_lines[key]
        _review(s, r, line, value, f"texte « {key} »")
