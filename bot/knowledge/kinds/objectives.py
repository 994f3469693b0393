"""objectifs/*.yaml: one fiche per objective of the contract, with its words and examples."""

from __future__ import annotations

from typing import Final

from bot.knowledge import hints
from bot.knowledge.fields import Field, line_of
from bot.knowledge.kinds.session import Session, Spec
from bot.knowledge.kinds.themes import verbatim
from bot.knowledge.models import Objective

OBJECTIVES_DIR: Final = "objectifs"
MIN_EXAMPLES: Final = 8
# A choice button shows the theme, the id and this many characters of the short name.
BUTTON_MAX: Final = 50

_OBJECTIVE_SPEC: Final[Spec] = {
    "id": Field("id"),
    "texte": Field("text"),
    "bouton": Field("optional_text", False),
    "explication": Field("paragraph"),
    "vocabulaire": Field("list"),
    "exemples": Field("list"),
    "contacts": Field("list"),
}


def objectives(s: Session) -> list[Objective]:
    folder = s.root / OBJECTIVES_DIR
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        s.report.error(
            folder,
            1,
            "aucun fichier d'objectifs",
            f"placez les fichiers des objectifs dans {OBJECTIVES_DIR}/",
        )
    found: dict[str, Objective] = {}
    for path in files:
        rel = str(path.relative_to(s.root))
        for r, rec in s.records(rel, "objectifs", _OBJECTIVE_SPEC, "objectif"):
            oid, line = rec.text("id"), rec.line_at("id")
            if oid not in s.contract.objectives:
                close = hints.guess(oid, s.contract.objectives)
                r.error(
                    line,
                    f"objectif « {oid} » inconnu du contrat",
                    f"vouliez-vous dire « {close} » ?"
                    if close
                    else "utilisez la numérotation du contrat : 1.1.1 … 6.4, T1.1 … T2.3",
                )
                continue
            if oid in found:
                r.error(
                    line,
                    f"objectif « {oid} » en double (déjà dans {found[oid].source})",
                    "gardez une seule fiche par objectif",
                )
                continue
            what = f"objectif {oid}"
            verbatim(r, rec, "texte", s.contract.objectives[oid], what)
            if len(rec.text("bouton")) > BUTTON_MAX:
                r.warn(
                    rec.line_at("bouton"),
                    f"{what} : « bouton » de {len(rec.text('bouton'))} caractères, coupé sur "
                    "les boutons",
                    f"gardez-le sous {BUTTON_MAX} caractères, en mots simples",
                )
            examples = rec.items("exemples")
            if len(examples) < MIN_EXAMPLES:
                r.warn(
                    rec.line_at("exemples"),
                    f"{what} : seulement {len(examples)} exemple(s) de question",
                    f"ajoutez-en pour arriver à au moins {MIN_EXAMPLES}, comme les habitants "
                    "les écrivent",
                )
            parts = oid.split(".")
            theme_id = parts[0]
            orientation_id = ".".join(parts[:2]) if len(parts) == 3 else None
            found[oid] = Objective(
                oid,
                theme_id,
                orientation_id,
                rec.text("texte"),
                rec.text("explication"),
                rec.items("vocabulaire"),
                examples,
                rec.items("contacts"),
                source=f"{rel}:{line}",
                button=rec.text("bouton"),
                example_lines=tuple(
                    line_of(rec.raw.get("exemples"), i, line) for i in range(len(examples))
                ),
            )
            s.where[oid] = (r, rec)
    for oid, text in s.contract.objectives.items():
        # An unreadable file is already reported: its objectives are not "missing" too.
        if oid not in found and oid not in s.rejected and OBJECTIVES_DIR not in s.unreadable:
            s.report.error(
                folder,
                1,
                f"l'objectif « {oid} » manque",
                f"ajoutez sa fiche dans {OBJECTIVES_DIR}/ : « {text} »",
            )
    return sorted(found.values(), key=lambda o: list(s.contract.objectives).index(o.id))
