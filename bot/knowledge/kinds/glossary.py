"""glossaire.yaml: the words of the contract people ask the meaning of (« c'est quoi un
QPV ? »), the ways they write them and a short definition."""

from __future__ import annotations

from typing import Final

from bot.knowledge.fields import Field, line_of
from bot.knowledge.kinds.session import Rec, Session, Spec, fold
from bot.knowledge.models import Term

GLOSSARY_FILE: Final = "glossaire.yaml"

_SPEC: Final[Spec] = {
    "id": Field("id"),
    "mots": Field("list"),
    "definition": Field("paragraph"),
    "contacts": Field("list", required=False),
}


def glossary(s: Session) -> list[Term]:
    """The terms of the file, which is optional; contacts are checked across files."""
    path, doc = s.read(GLOSSARY_FILE, required=False)
    if doc is None:
        return []
    r = s.reader(path, doc)
    data = r.top(doc.data, "glossaire", "list")
    out: list[Term] = []
    seen: dict[str, str] = {}  # a name, folded -> the term that has it
    for number, item in enumerate(data or []):
        values = r.record(item, line_of(data, number, 1), _SPEC, "terme du glossaire")
        if values is None:
            continue
        rec = Rec(values)
        term = Term(
            rec.text("id"), rec.items("mots"), rec.text("definition"), rec.items("contacts")
        )
        if any(t.id == term.id for t in out):
            r.error(rec.line, f"terme « {term.id} » en double", "gardez un seul terme par id")
            continue
        for name in term.names:
            other = seen.setdefault(fold(name), term.id)
            if other != term.id:
                r.error(
                    rec.line_at("mots"),
                    f"« {name} » est déjà un mot du terme « {other} »",
                    "un mot ne peut désigner qu'un terme : retirez-le de l'un des deux",
                )
        s.where[f"terme:{term.id}"] = (r, rec)
        out.append(term)
    return out
