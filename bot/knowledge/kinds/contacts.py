"""contacts/nationaux.yaml and contacts/locaux.yaml, merged with the generated
contacts/officiels.yaml (staff keep the last word on a generated entry: same id in locaux)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any, Final

from bot.knowledge import hints
from bot.knowledge.fields import Field, RecordReader
from bot.knowledge.kinds.officials import OFFICIAL_FILE, official
from bot.knowledge.kinds.session import CONTACT_ID, Rec, Session, Spec
from bot.knowledge.models import Contact, Locality
from bot.knowledge.services import BY_SLOT
from bot.knowledge.yamlsource import YMap

NATIONAL_FILE: Final = "contacts/nationaux.yaml"
LOCAL_FILE: Final = "contacts/locaux.yaml"
# A national contact's facts are checked again at least once a year (`verifie_le`).
RECHECK_AFTER_DAYS: Final = 365
_SMS: Final = re.compile(r"^\s*(?i:sms)\s+(?:(?i:au)\s+)?")

_NATIONAL_SPEC: Final[Spec] = {
    "id": Field("id"),
    "nom": Field("text"),
    "pour": Field("text"),
    "telephone": Field("optional_text", False),
    "site": Field("optional_text", False),
    "adresse": Field("optional_text", False),
    "horaires": Field("optional_text", False),
    "source": Field("text"),
    "verifie": Field("bool"),
    "verifie_le": Field("optional_text", False),
    "sert": Field("list", False),
}
_LOCAL_SPEC: Final[Spec] = {
    "id": Field("id"),
    "type": Field("text"),
    "nom": Field("optional_text"),
    "adresse": Field("optional_text"),
    "telephone": Field("optional_text"),
    "horaires": Field("optional_text"),
    "site": Field("optional_text"),
    "pour": Field("text"),
    "verifie": Field("bool"),
    "sert": Field("list", False),
    "masquer": Field("bool", False),
}
# A contacts/locaux.yaml entry with the id of a generated one: only the fields to change.
_OVERRIDE_SPEC: Final[Spec] = {
    "id": Field("id"),
    **{name: Field("optional_text", False) for name in ("type", "nom", "adresse", "telephone")},
    **{name: Field("optional_text", False) for name in ("horaires", "site", "pour")},
    "verifie": Field("bool", False),
    "sert": Field("list", False),
    "masquer": Field("bool", False),
}
# Field of an override -> attribute of the Contact it changes (when not empty).
_OVERRIDDEN: Final = (
    ("nom", "name"),
    ("type", "kind"),
    ("pour", "purpose"),
    ("telephone", "phone"),
    ("site", "website"),
    ("adresse", "address"),
    ("horaires", "hours"),
)


def contacts(s: Session) -> tuple[list[Contact], Locality | None]:
    """Every contact, in the order of the files, and the commune of the generated ones."""
    found: dict[str, Contact] = {}
    generated, locality = official(s)
    # Staff keep the last word on generated entries: same id in locaux.yaml.
    overridden: set[str] = set()

    def local_spec(item: Any) -> Spec:
        # An override, or a « masquer » entry (reported below if it hides nothing), only
        # names what it changes.
        is_override = isinstance(item, YMap) and (
            item.get("id") in generated
            or str(item.get("masquer", "")).strip().lower() in ("true", "oui", "yes", "vrai")
        )
        return _OVERRIDE_SPEC if is_override else _LOCAL_SPEC

    for rel, key, spec, local in (
        (NATIONAL_FILE, "nationaux", _NATIONAL_SPEC, False),
        (LOCAL_FILE, "locaux", _LOCAL_SPEC, True),
    ):
        path, doc = s.read(rel)
        spec_for = local_spec if local else None
        for r, rec in s.records_of(path, doc, key, spec, "contact", spec_for):
            cid, line = rec.text("id"), rec.line_at("id")
            if local and cid in generated:
                overridden.add(cid)
                if not rec.flag("masquer"):
                    found[cid] = _override(generated[cid], rec)
                    s.where[f"contact:{cid}"] = (r, rec)
                continue
            if rec.flag("masquer"):
                r.warn(
                    rec.line_at("masquer"),
                    f"« masquer » : aucune fiche « {cid} » dans {OFFICIAL_FILE}",
                    "« masquer: true » cache une fiche générée : recopiez son id exact, ou "
                    "supprimez cette fiche",
                )
                continue
            if not CONTACT_ID.match(cid):
                r.error(
                    line,
                    f"identifiant de contact « {cid} » invalide",
                    "utilisez seulement des minuscules sans accent, des chiffres et des "
                    "tirets, ex. « centre-social-nord »",
                )
                continue
            if cid in found:
                r.error(line, f"contact « {cid} » en double", "donnez-lui un autre identifiant")
                continue
            c = Contact(
                cid,
                rec.text("nom"),
                local,
                rec.text("type"),
                rec.text("pour"),
                rec.text("telephone"),
                rec.text("site"),
                rec.text("adresse"),
                rec.text("horaires"),
                rec.text("source"),
                rec.flag("verifie"),
                rec.items("sert"),
            )
            found[cid] = c
            s.where[f"contact:{cid}"] = (r, rec)
            # « SMS au 114 » is how a text-only number is written; the number is checked.
            phone_problem = hints.phone_problem(_SMS.sub("", c.phone))
            if phone_problem is not None:
                # An error, not a warning: residents would dial a wrong number, and the bot
                # keeps its last good knowledge until it is fixed.
                r.error(
                    rec.line_at("telephone"),
                    f"contact « {cid} » : numéro « {c.phone} » impossible à composer "
                    f"({phone_problem})",
                    hints.PHONE_FIX,
                )
            kind = BY_SLOT.get(cid)
            if (
                kind is not None
                and not c.shown
                and any(g.service == kind.id for g in generated.values())
            ):
                continue  # the slot is filled by the generated entries of its kind
            if local and not (c.name and (c.phone or c.address or c.website)):
                r.warn(
                    rec.line,
                    f"fiche locale « {cid} » ({c.kind}) à remplir",
                    "ajoutez le nom et un téléphone, une adresse ou un site, puis "
                    "« verifie: true » ; d'ici là elle n'est pas montrée",
                )
            elif not c.verified:
                r.warn(
                    rec.line_at("verifie"),
                    f"contact « {cid} » non vérifié : il n'est pas montré aux habitants",
                    "vérifiez les informations puis mettez « verifie: true »",
                )
            if not local:
                _freshness(r, rec, cid, s.today)
    for cid, c in generated.items():
        if cid in found and cid not in overridden:
            r, rec = s.where[f"contact:{cid}"]
            r.error(
                rec.line,
                f"contact « {cid} » en double avec {OFFICIAL_FILE}",
                "donnez-lui un autre identifiant",
            )
        elif cid not in overridden:
            found[cid] = c
    return list(found.values()), locality


def _override(c: Contact, rec: Rec) -> Contact:
    """A generated entry with the fields staff wrote in locaux.yaml; unverified only if
    they say so."""
    changes: dict[str, Any] = {attr: rec.text(name) for name, attr in _OVERRIDDEN if rec.text(name)}
    if "verifie" in rec.raw:
        changes["verified"] = rec.flag("verifie")
    if rec.items("sert"):
        changes["serves"] = rec.items("sert")
    return replace(c, **changes)


def _freshness(r: RecordReader, rec: Rec, cid: str, today: date) -> None:
    """A national contact says when its facts were last checked, less than a year ago."""
    line = rec.line_at("verifie_le")
    when = rec.text("verifie_le")
    if not when:
        r.warn(
            line,
            f"contact « {cid} » : date de vérification manquante",
            "vérifiez la fiche sur le site officiel du service, puis écrivez "
            f'« verifie_le: "{today.isoformat()}" »',
        )
        return
    try:
        checked = date.fromisoformat(when)
    except ValueError:
        r.warn(
            line,
            f"contact « {cid} » : date de vérification « {when} » illisible",
            "écrivez la date sous la forme AAAA-MM-JJ, par exemple « 2026-12-01 »",
        )
        return
    if (today - checked).days > RECHECK_AFTER_DAYS:
        r.warn(
            line,
            f"contact « {cid} » vérifié le {when}, il y a plus de 12 mois",
            "revérifiez numéro, horaires et coût sur le site officiel (champ « source »), "
            "puis mettez la date du jour",
        )
