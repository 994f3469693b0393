"""``python -m bot localize``: the commune's official contacts, written to
``contacts/officiels.yaml`` for the knowledge loader.

The file is generated, never edited by hand: staff correct or hide an entry from
``contacts/locaux.yaml`` (same id), so a new ``localize`` loses nothing of theirs.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bot.localities.communes import NEAREST, Commune, Directory, distance_km
from bot.localities.data import ServicePoint, Source
from bot.localities.hours import week_hours

OFFICIAL_FILE: Final = "contacts/officiels.yaml"
# The kind of service of every generated entry (see bot.knowledge.services).
FRANCE_SERVICES: Final = "france-services"
PURPOSE: Final = (
    "Aide gratuite pour vos démarches et vos papiers : CAF, impôts, Assurance Maladie, "
    "retraite, France Travail, titres de séjour…"
)
MOBILE: Final = "France Services itinérante : appelez pour connaître le lieu et le jour de passage."


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def km(distance: float) -> str:
    """« 350 m », « 1,2 km », « 14 km »."""
    if distance < 1:
        return f"{max(50, round(distance * 1000 / 50) * 50)} m"
    if distance < 10:
        return f"{distance:.1f} km".replace(".", ",")
    return f"{round(distance)} km"


@dataclass(frozen=True)
class Localized:
    commune: Commune
    points: tuple[ServicePoint, ...]
    nearest: bool  # the commune has no point of its own: the nearest ones
    path: Path


def chosen_points(directory: Directory, commune: Commune) -> tuple[tuple[ServicePoint, ...], bool]:
    if commune.points:
        return commune.points, False
    near = directory.nearest(commune.latitude, commune.longitude, NEAREST)
    return tuple(p for p, _d in near), True


def render(
    commune: Commune,
    points: Sequence[ServicePoint],
    nearest: bool,
    fs: Source,
    qpv: Source,
    command: str,
) -> str:
    """The text of officiels.yaml."""
    name = commune.name or f"la commune {commune.insee}"
    lines = [
        f"# Contacts officiels de {name} ({commune.insee}) : FICHIER GÉNÉRÉ, ne le modifiez pas",
        "# à la main (il est réécrit à chaque « localize »).",
        f"# Source : {fs.credit}, données du {fs.date_fr} ;",
        f"#          {qpv.credit}, données du {qpv.date_fr}.",
        f"# {fs.licence}.",
        f"# Pour le régénérer : {command}",
        "# Pour corriger une fiche : recopiez son « id » dans contacts/locaux.yaml avec les champs",
        "# à changer ; pour la cacher : « masquer: true » sous cet id (voir knowledge/README.md).",
        "commune:",
        f"  insee: {_q(commune.insee)}",
        f"  nom: {_q(commune.name)}",
        "  quartiers:" if commune.quartiers else "  quartiers: []",
        *(f"    - {_q(q)}" for q in commune.quartiers),
        f"  source: {_q(qpv.credit)}",
        f"  date: {_q(qpv.date)}",
        "officiels:" if points else "officiels: []",
    ]
    for p in points:
        purpose = PURPOSE
        if nearest:
            away = km(distance_km(commune.latitude, commune.longitude, p.latitude, p.longitude))
            purpose = f"La plus proche de {name} (à {away}, à {p.commune}). {PURPOSE}"
        if p.mobile:
            purpose = f"{purpose} {MOBILE}"
        lines += [
            f"  - id: {p.contact_id}",
            f"    service: {FRANCE_SERVICES}",
            f"    nom: {_q(p.name)}",
            f"    adresse: {_q(p.full_address)}",
            f"    telephone: {_q(p.phone)}",
            f"    horaires: {_q(week_hours(p.hours))}",
            f"    pour: {_q(purpose)}",
            f"    source: {_q(fs.credit)}",
            f"    date: {_q(fs.date)}",
        ]
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Readers (the bot's file watcher) see the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def localize(
    directory: Directory, commune: Commune, knowledge_dir: Path, explicit_dir: bool = False
) -> Localized:
    points, nearest = chosen_points(directory, commune)
    command = f"python -m bot localize --commune {commune.insee}"
    if explicit_dir:
        command += f" --knowledge {knowledge_dir}"
    text = render(
        commune, points, nearest, directory.data.fs_source, directory.data.qpv_source, command
    )
    path = knowledge_dir / OFFICIAL_FILE
    write_atomically(path, text)
    return Localized(commune, points, nearest, path)
