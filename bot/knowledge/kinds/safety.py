"""securite.yaml: the emergency situations, their triggers and subjects, the idioms that are
not a danger (« je suis mort de rire »), and how a message asks for a number (« numéro »)."""

from __future__ import annotations

from typing import Final

from bot.knowledge.fields import Field, RecordReader, line_of
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
    "sujets": Field("list", False),
}
_KEYS: Final = ("situations", "expressions_sans_danger", "demandes_de_numero")


def safety(s: Session) -> tuple[list[Situation], list[str], list[str]]:
    """The situations, the idioms and the phrases that ask for a number."""
    path, doc = s.read(SAFETY_FILE)
    if doc is None:
        return [], [], []
    r = s.reader(path, doc)
    data = doc.data
    if not isinstance(data, YMap):
        r.error(
            1,
            "le fichier doit contenir « situations: » et « expressions_sans_danger: »",
            "voir knowledge/README.md",
        )
        return [], [], []
    for key in data:
        if key not in _KEYS:
            r.error(
                data.key_lines[key],
                f"clé principale inconnue « {key} »",
                "seules « situations: », « expressions_sans_danger: » et « demandes_de_numero: »"
                " sont possibles",
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
            if _small(trigger) and sid != ALONE:
                rr.error(
                    line_of(raw, i, rec.line),
                    f"situation « {sid} » : le déclencheur « {trigger} » est trop large",
                    "ajoutez un mot précis (ex. « me frappe », pas « me »)",
                )
        subjects = rec.items("sujets")
        for i, subject in enumerate(subjects):
            if _small(subject):
                rr.error(
                    line_of(rec.raw.get("sujets"), i, rec.line),
                    f"situation « {sid} » : le sujet « {subject} » est trop large",
                    "ajoutez un mot précis (ex. « violences conjugales », pas « les »)",
                )
        situations.append(
            Situation(
                sid,
                rec.text("titre"),
                rec.text("message"),
                rec.items("contacts"),
                triggers,
                rec.flag("sans_fiche"),
                subjects,
            )
        )
        s.where[f"situation:{sid}"] = (rr, rec)
    idioms = [text for text, _line in _phrases(r, data, "expressions_sans_danger", "expression")]
    requests = _phrases(r, data, "demandes_de_numero", "demande")
    for phrase, line in requests:
        if _small(phrase):
            r.error(
                line,
                f"la demande de numéro « {phrase} » est trop large",
                "ajoutez un mot précis (ex. « qui appeler », pas « qui »)",
            )
    return situations, idioms, [text for text, _line in requests]


def _small(phrase: str) -> bool:
    """Only small words (« je », « il me »): it would be found in every message."""
    return all(w in STOPWORDS for w in fold(phrase).replace("'", " ").split())


def _phrases(r: RecordReader, data: YMap, key: str, name: str) -> list[tuple[str, int]]:
    """A top-level list of phrases, each with its line (none when the key is absent); empty
    items are left out, after their lines are read."""
    raw = data.get(key)
    if raw is None:
        return []
    if not isinstance(raw, YList):
        r.error(
            data.key_lines[key],
            f"« {key} » doit être une liste",
            f"une ligne « - {name} » par {name}",
        )
        return []
    return [
        (" ".join(item.split()), line_of(raw, i, data.key_lines[key]))
        for i, item in enumerate(raw)
        if isinstance(item, str) and item.strip()
    ]
