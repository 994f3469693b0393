"""Checks across files, once everything is loaded: references to contacts and scopes, ids
usable in links, and one keyword or example under two objectives."""

from __future__ import annotations

from bot.knowledge import hints
from bot.knowledge.fields import line_of
from bot.knowledge.ids import Kind, is_link_safe, slug
from bot.knowledge.kinds.session import Session, fold
from bot.knowledge.models import Knowledge


def cross_check(s: Session, k: Knowledge) -> None:
    # References into an unreadable contacts file would all look broken: the syntax error
    # is the one thing to fix first.
    contacts_readable = "contacts" not in s.unreadable
    # Checked against the contract, not the loaded files, so one missing fiche does not
    # cascade into dozens of errors here.
    scopes = set(s.contract.themes) | set(s.contract.orientations) | set(s.contract.objectives)
    contact_ids = [c.id for c in k.contacts]

    def known_contacts(owner: str, ids: tuple[str, ...], where: str) -> None:
        """Every contact id of an objective or a glossary term names a contact."""
        r, rec = s.where[where]
        for cid in ids:
            if k.contact(cid) is None and contacts_readable and cid not in s.rejected:
                close = hints.guess(cid, contact_ids)
                r.error(
                    rec.line_at("contacts"),
                    f"{owner} : contact « {cid} » inconnu",
                    f"vouliez-vous dire « {close} » ?"
                    if close
                    else "utilisez un identifiant de contacts/nationaux.yaml ou "
                    "contacts/locaux.yaml",
                )

    for obj in k.objectives:
        r, rec = s.where[obj.id]
        known_contacts(f"objectif {obj.id}", obj.contact_ids, obj.id)
        if not any(c.local for c in k.contacts_for(obj)):
            r.warn(
                rec.line,
                f"objectif {obj.id} : aucun contact local montré",
                "remplissez et vérifiez une fiche de contacts/locaux.yaml qui le sert",
            )
        kinds: tuple[Kind, ...] = ("th", "obj")
        for item_kind in kinds:
            item_id = obj.theme_id if item_kind == "th" else obj.id
            if not is_link_safe(slug(item_kind, item_id)):
                r.error(
                    rec.line,
                    f"identifiant « {item_id} » inutilisable dans un lien",
                    "gardez la numérotation du contrat",
                )
    for term in k.glossary:
        known_contacts(f"terme « {term.id} »", term.contact_ids, f"terme:{term.id}")
    for c in k.contacts:
        r, rec = s.where[f"contact:{c.id}"]
        for scope in c.serves:
            if scope not in scopes:
                close = hints.guess(scope, s.contract.objectives)
                r.error(
                    rec.line_at("sert"),
                    f"contact « {c.id} » : « {scope} » n'est ni une thématique, ni une "
                    "orientation, ni un objectif",
                    f"vouliez-vous dire « {close} » ?"
                    if close
                    else 'utilisez par exemple "2", "1.2" ou "3.4"',
                )
    for sit in k.situations:
        r, rec = s.where[f"situation:{sit.id}"]
        for cid in sit.contact_ids:
            if k.contact(cid) is None and contacts_readable and cid not in s.rejected:
                r.error(
                    rec.line_at("contacts"),
                    f"situation « {sit.id} » : contact « {cid} » inconnu",
                    hints.did_you_mean(cid, contact_ids, "identifiants de contacts/"),
                )
        if not k.shown_contacts(sit.contact_ids) and contacts_readable:
            r.error(
                rec.line,
                f"situation « {sit.id} » : aucun numéro montrable",
                "indiquez au moins un contact vérifié",
            )
    if s.general_line is not None:
        r, line = s.general_line
        for cid in k.general_contact_ids:
            if k.contact(cid) is None and contacts_readable and cid not in s.rejected:
                r.error(
                    line,
                    f"contacts_generaux : contact « {cid} » inconnu",
                    hints.did_you_mean(cid, contact_ids, "identifiants de contacts/"),
                )
    _duplicates(s, k)


def _duplicates(s: Session, k: Knowledge) -> None:
    """One keyword or example under two objectives makes the matcher hesitate."""
    for field_name, label in (("vocabulaire", "mot"), ("exemples", "exemple")):
        owner: dict[str, str] = {}
        for obj in k.objectives:
            r, rec = s.where[obj.id]
            raw = rec.raw.get(field_name)
            for i, entry in enumerate(rec.items(field_name)):
                key = fold(entry)
                if key in owner and owner[key] == obj.id:
                    r.warn(
                        line_of(raw, i, rec.line),
                        f"{label} « {entry} » présent deux fois sous {obj.id}",
                        "supprimez l'une des deux lignes (le bot ignore déjà accents et "
                        "majuscules)",
                    )
                elif key in owner:
                    r.error(
                        line_of(raw, i, rec.line),
                        f"{label} « {entry} » présent sous {owner[key]} et sous {obj.id}",
                        "gardez-le sous un seul objectif, celui qui répond le mieux",
                    )
                owner.setdefault(key, obj.id)
