"""thematiques.yaml and orientations.yaml: one fiche per contract id, its title verbatim."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeVar

from bot.knowledge.contract import canonical
from bot.knowledge.fields import Field, RecordReader
from bot.knowledge.kinds.session import Rec, Session, Spec
from bot.knowledge.models import Orientation, Theme

T = TypeVar("T")

THEMES_FILE: Final = "thematiques.yaml"
ORIENTATIONS_FILE: Final = "orientations.yaml"

_THEME_SPEC: Final[Spec] = {
    "id": Field("id"),
    "titre": Field("text"),
    "nom_court": Field("text"),
    "emoji": Field("text"),
    "transversale": Field("bool"),
    "explication": Field("paragraph"),
}
_ORIENTATION_SPEC: Final[Spec] = {
    "id": Field("id"),
    "titre": Field("text"),
    "nom_court": Field("text"),
}


def verbatim(r: RecordReader, rec: Rec, key: str, expected: str, what: str) -> None:
    """The fiche's ``key`` says exactly what the contract says."""
    if canonical(rec.text(key)) != canonical(expected):
        r.error(
            rec.line_at(key),
            f"{what} : le texte ne correspond plus au contrat",
            f"recopiez exactement : « {expected} »",
        )


def _titled(
    s: Session,
    rel: str,
    key: str,
    spec: Spec,
    what: str,
    expected: dict[str, str],
    build: Callable[[str, Rec], T],
) -> list[T]:
    """Themes and orientations: one fiche per contract id, title verbatim, none missing."""
    found: dict[str, T] = {}
    for r, rec in s.records(rel, key, spec, what):
        item_id, line = rec.text("id"), rec.line_at("id")
        if item_id not in expected:
            r.error(
                line,
                f"{what} « {item_id} » inconnue du contrat",
                f"les identifiants possibles sont {', '.join(expected)}",
            )
            continue
        if item_id in found:
            r.error(line, f"{what} « {item_id} » en double", "supprimez l'une des deux fiches")
            continue
        verbatim(r, rec, "titre", expected[item_id], f"{what} {item_id}")
        found[item_id] = build(item_id, rec)
        s.where[f"{what}:{item_id}"] = (r, rec)
    for item_id, title in expected.items():
        if item_id not in found and item_id not in s.rejected and rel not in s.unreadable:
            s.report.error(
                s.root / rel,
                1,
                f"{what} « {item_id} » manquante",
                f"ajoutez sa fiche : « {title} »",
            )
    return list(found.values())


def themes(s: Session) -> list[Theme]:
    return _titled(
        s,
        THEMES_FILE,
        "thematiques",
        _THEME_SPEC,
        "thématique",
        s.contract.themes,
        lambda tid, rec: Theme(
            tid,
            rec.text("titre"),
            rec.text("nom_court"),
            rec.text("emoji"),
            rec.flag("transversale"),
            rec.text("explication"),
        ),
    )


def orientations(s: Session) -> list[Orientation]:
    return _titled(
        s,
        ORIENTATIONS_FILE,
        "orientations",
        _ORIENTATION_SPEC,
        "orientation",
        s.contract.orientations,
        lambda oid, rec: Orientation(
            oid, oid.split(".")[0], rec.text("titre"), rec.text("nom_court")
        ),
    )
