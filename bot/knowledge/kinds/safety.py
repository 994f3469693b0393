"""securite.yaml: the emergency situations and their triggers, and the idioms that are not
a danger (« je suis mort de rire »)."""

from __future__ import annotations

from typing import Final

from bot.knowledge.fields import Field, line_of
from bot.knowledge.kinds.session import CONTACT_ID, Session, Spec, fold
from bot.knowledge.models import ALONE, Situation
from bot.knowledge.yamlsource import Document, YList, YMap
from bot.matching.stopwords import STOPWORDS

SAFETY_FILE: Final = "securite.yaml"

_SITUATION_SPEC: Final[Spec] = {
    "id": Field("id"),
    "titre": Field("text"),
    "message": Field("paragraph"),
    "contacts": Field("list"),
    "declencheurs": Field("list"),
    "sans_fiche": Field("bool", False),
}


def safety(s: Session) -> tuple[list[Situation], list[str]]:
    path, doc = s.read(SAFETY_FILE)
    if doc is None:
        return [], []
    r = s.reader(path, doc)
    data = doc.data
    if not isinstance(data, YMap):
        r.error(
            1,
            "le fichier doit contenir « situations: » et « expressions_sans_danger: »",
            "voir knowledge/README.md",
        )
        return [], []
    for key in data:
        if key not in ("situations", "expressions_sans_danger"):
            r.error(
                data.key_lines[key],
                f"clé principale inconnue « {key} »",
                "seules « situations: » et « expressions_sans_danger: » sont possibles",
            )
    situations: list[Situation] = []
    only_situations = YMap({"situations": data.get("situations")})
    only_situations.line, only_situations.key_lines = data.line, data.key_lines
    if "situations" not in data:
        r.error(1, "la clé « situations: » manque", "ajoutez la liste des situations d'urgence")
    ids: set[str] = set()
    for rr, rec in s.records_of(
        path, Document(only_situations), "situations", _SITUATION_SPEC, "situation d'urgence"
    ):
        sid, line = rec.text("id"), rec.line_at("id")
        if not CONTACT_ID.match(sid) or sid in ids:
            rr.error(
                line,
                f"identifiant de situation « {sid} » invalide ou en double",
                "utilisez un identifiant unique en minuscules et tirets",
            )
            continue
        ids.add(sid)
        raw = rec.raw.get("declencheurs")
        triggers = rec.items("declencheurs")
        for i, trigger in enumerate(triggers):
            # "je" or "il me" would put the emergency block on every message. The triggers of
            # ALONE count only in a message that says nothing else: « à l'aide » may be made
            # of such words.
            small = all(w in STOPWORDS for w in fold(trigger).replace("'", " ").split())
            if small and sid != ALONE:
                rr.error(
                    line_of(raw, i, rec.line),
                    f"situation « {sid} » : le déclencheur « {trigger} » est trop large",
                    "ajoutez un mot précis (ex. « me frappe », pas « me »)",
                )
        situations.append(
            Situation(
                sid,
                rec.text("titre"),
                rec.text("message"),
                rec.items("contacts"),
                triggers,
                rec.flag("sans_fiche"),
            )
        )
        s.where[f"situation:{sid}"] = (rr, rec)
    idioms_raw = data.get("expressions_sans_danger")
    idioms: list[str] = []
    if idioms_raw is not None:
        if not isinstance(idioms_raw, YList):
            r.error(
                data.key_lines["expressions_sans_danger"],
                "« expressions_sans_danger » doit être une liste",
                "une ligne « - expression » par expression",
            )
        else:
            idioms = [" ".join(i.split()) for i in idioms_raw if isinstance(i, str) and i.strip()]
    return situations, idioms
