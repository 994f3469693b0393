"""Communes known from the open data, found by INSEE code, postal code or name, and the
points near a place.

A commune is known when it has a France Services point or a priority neighbourhood (every
commune of a contrat de ville has one). Paris, Lyon and Marseille are one commune each, as in
the QPV list; their arrondissements (where the France Services points are) belong to them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Final

from bot.localities.data import OpenData, ServicePoint

EARTH_KM: Final = 6371.0
NEAREST: Final = 3
_POSTAL: Final = re.compile(r"^\d{5}$")
_INSEE: Final = re.compile(r"^(?:\d{5}|2[ABab]\d{3})$")


def parent_commune(insee: str) -> str:
    """The commune of an arrondissement code (75101 → 75056), else the code itself."""
    if insee.startswith("751") and "75101" <= insee <= "75120":
        return "75056"
    if insee.startswith("6938") and "69381" <= insee <= "69389":
        return "69123"
    if insee.startswith("132") and "13201" <= insee <= "13216":
        return "13055"
    return insee


def fold(name: str) -> str:
    """Comparison key for a commune name: no case, accents, hyphens or apostrophes;
    « St » and « Ste » written out."""
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join({"st": "saint", "ste": "sainte"}.get(w, w) for w in words)


def department_of(postal_code: str) -> str:
    """The département of a postal code as the data writes it (« 93 », « 2A », « 974 »)."""
    if postal_code.startswith("97"):
        return postal_code[:3]
    if postal_code.startswith("20"):
        # Corsica: 200xx–201xx are Corse-du-Sud, 202xx–206xx Haute-Corse.
        return "2A" if postal_code[:3] in ("200", "201") else "2B"
    return postal_code[:2]


def is_postal_code(text: str) -> bool:
    return bool(_POSTAL.match(text)) and text[:2] not in ("00", "96", "99")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): a few metres off at most at a town's scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str
    postal_codes: tuple[str, ...]
    latitude: float
    longitude: float
    quartiers: tuple[str, ...] = ()
    points: tuple[ServicePoint, ...] = ()

    @property
    def label(self) -> str:
        codes = ", ".join(self.postal_codes[:3])
        where = f"code INSEE {self.insee}" + (f", code postal {codes}" if codes else "")
        return f"{self.name or 'commune'} ({where})"


@dataclass(frozen=True)
class Found:
    """The answer to a search: one commune, or the candidates to choose from, or none
    (``suggestions`` then holds close names)."""

    commune: Commune | None = None
    candidates: tuple[Commune, ...] = ()
    suggestions: tuple[Commune, ...] = ()


@dataclass
class Directory:
    """Every known commune, and the indexes to find one."""

    data: OpenData
    communes: dict[str, Commune] = field(default_factory=dict)
    by_name: dict[str, list[str]] = field(default_factory=dict)
    by_postal: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, data: OpenData) -> Directory:
        points: dict[str, list[ServicePoint]] = defaultdict(list)
        names: dict[str, str] = {}
        postal: dict[str, set[str]] = defaultdict(set)
        aliases: dict[str, str] = {}  # « marseille 13e » → the commune of Marseille
        for p in data.points:
            insee = parent_commune(p.insee)
            points[insee].append(p)
            postal[p.postal_code].add(insee)
            # An arrondissement's point names the arrondissement (« Paris 18e »).
            name = p.commune
            if insee != p.insee:
                name = re.sub(r"\s+\d+(er|e)$", "", p.commune)
                aliases[fold(p.commune)] = insee
            names.setdefault(insee, name)
        known = {fold(n) for n in names.values()}
        for q in data.qpv.values():
            if q.insee in names:
                continue
            if len(q.names) == 1:
                names[q.insee] = q.names[0]
                known.add(fold(q.names[0]))
        for q in data.qpv.values():
            if q.insee in names:
                continue
            # Neighbourhoods over several communes list them all: the one name not already
            # some other commune's is this commune's.
            left = [n for n in q.names if fold(n) not in known]
            names[q.insee] = left[0] if len(left) == 1 else ""
        directory = cls(data)
        for insee in sorted(set(points) | set(data.qpv)):
            here = points.get(insee, [])
            qpv = data.qpv.get(insee)
            if qpv is not None:
                lat, lon = qpv.latitude, qpv.longitude
            else:
                lat = sum(p.latitude for p in here) / len(here)
                lon = sum(p.longitude for p in here) / len(here)
            codes = sorted({p.postal_code for p in here})
            commune = Commune(
                insee,
                names.get(insee, ""),
                tuple(codes),
                lat,
                lon,
                qpv.quartiers if qpv else (),
                tuple(sorted(here, key=lambda p: distance_km(lat, lon, p.latitude, p.longitude))),
            )
            directory.communes[insee] = commune
            if commune.name:
                directory.by_name.setdefault(fold(commune.name), []).append(insee)
        for alias, insee in aliases.items():
            directory.by_name.setdefault(alias, [insee])
        directory.by_postal = {code: sorted(found) for code, found in postal.items()}
        return directory

    def find(self, query: str) -> Found:
        """A commune from its INSEE code, one of its postal codes or its name."""
        query = " ".join(query.split())
        if _INSEE.match(query):
            insee = parent_commune(query.upper())
            if insee in self.communes:
                return Found(self.communes[insee])
        if is_postal_code(query):
            found = [self.communes[i] for i in self.by_postal.get(query, [])]
            if len(found) == 1:
                return Found(found[0])
            if found:
                return Found(candidates=tuple(found))
            return Found()
        key = fold(query)
        found = [self.communes[i] for i in self.by_name.get(key, [])]
        if len(found) == 1:
            return Found(found[0])
        if found:
            return Found(candidates=tuple(found))
        return Found(suggestions=self._close(key))

    def _close(self, key: str, limit: int = 5) -> tuple[Commune, ...]:
        from rapidfuzz import fuzz, process

        best = process.extract(key, list(self.by_name), scorer=fuzz.ratio, limit=limit)
        return tuple(
            self.communes[i] for name, score, _ in best if score >= 75 for i in self.by_name[name]
        )

    def nearest(
        self, latitude: float, longitude: float, count: int = NEAREST
    ) -> list[tuple[ServicePoint, float]]:
        """The ``count`` points nearest to a place, with their distance in km."""
        scored = [
            (p, distance_km(latitude, longitude, p.latitude, p.longitude)) for p in self.data.points
        ]
        scored.sort(key=lambda pd: (pd[1], pd[0].id))
        return scored[:count]

    def by_postal_code(self, code: str) -> tuple[list[ServicePoint], bool]:
        """The points of a postal code; else those of its département (``True`` then)."""
        here = sorted((p for p in self.data.points if p.postal_code == code), key=_by_place)
        if here:
            return here, False
        department = department_of(code)
        return sorted(
            (p for p in self.data.points if p.department == department), key=_by_place
        ), True


def _by_place(p: ServicePoint) -> tuple[bool, str, str]:
    # Fixed points before buses, whose place changes with the day.
    return (p.mobile, fold(p.commune), fold(p.name))


_directories: list[tuple[OpenData, Directory]] = []


def directory(data: OpenData | None = None) -> Directory:
    """The directory of the shipped data (or of ``data``), built once per data version."""
    from bot.localities.data import load

    data = data or load()
    for known, built in _directories:
        if known is data:
            return built
    built = Directory.of(data)
    _directories[:] = [*_directories[-1:], (data, built)]
    return built
