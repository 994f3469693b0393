"""bavardage.yaml: small talk (« merci », « bonjour »), its words and the bot's answer."""

from __future__ import annotations

from typing import Final

from bot.knowledge.fields import Field
from bot.knowledge.kinds.session import Rec, Session, Spec

SMALLTALK_FILE: Final = "bavardage.yaml"

_SMALLTALK_SPEC: Final[Spec] = {"mots": Field("list"), "reponse": Field("text")}


def smalltalk(s: Session) -> dict[str, tuple[str, ...]]:
    """Each kind of small talk: its answer, then its words."""
    path, doc = s.read(SMALLTALK_FILE)
    if doc is None:
        return {}
    r = s.reader(path, doc)
    data = r.top(doc.data, "bavardage", "map")
    out: dict[str, tuple[str, ...]] = {}
    for key, value in (data or {}).items():
        values = r.record(value, data.key_lines[key], _SMALLTALK_SPEC, f"bavardage « {key} »")
        if values is not None:
            rec = Rec(values)
            out[key] = (rec.text("reponse"), *rec.items("mots"))
    return out
