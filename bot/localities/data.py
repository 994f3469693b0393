"""The shipped open-data snapshots as typed records.

The France Services list is a gzip-compressed CSV, the QPV list a gzip-compressed GeoJSON, and
``sources.json`` says where each comes from, its date and its licence (Licence Ouverte 2.0
asks that source and date be shown wherever the data is). Everything is read with the
standard library, once per process and per file version.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

DATA_DIR: Final = Path(__file__).resolve().parent.parent / "data" / "opendata"
SOURCES_FILE: Final = "sources.json"
FS_KEY: Final = "france-services"
QPV_KEY: Final = "qpv"

DAYS: Final = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# The columns this project reads; a refreshed file without one of them is refused.
REQUIRED_COLUMNS: Final = (
    "id_fs",
    "insee_dep",
    "lib_fs",
    "adresse",
    "complement_adresse",
    "insee_com",
    "code_postal",
    "lib_com",
    "latitude",
    "longitude",
    "telephone",
    *(f"h_{d}" for d in DAYS[:6]),
    "format_fs",
)
# Below this many points the list cannot be the national one (2,845 in August 2024).
MIN_ROWS: Final = 2000
# Rows without usable coordinates or code are skipped, but more than this share means the
# file is not the one expected.
MAX_BAD_SHARE: Final = 0.01
_MOBILE_FORMATS: Final = frozenset({"Bus_équivalent", "Itinérante"})


class SnapshotError(ValueError):
    """A data file that is not what it should be (message in French, for staff)."""


@dataclass(frozen=True)
class ServicePoint:
    """One France Services point, as the official list gives it."""

    id: str
    name: str
    address: str
    complement: str
    insee: str
    postal_code: str
    commune: str
    department: str
    latitude: float
    longitude: float
    phone: str
    email: str
    hours: tuple[str, ...]  # Monday … Sunday as published ("09:00 - 12:00 / 13:30 - 17:00")
    comment: str
    format: str

    @property
    def contact_id(self) -> str:
        return f"france-services-{self.id}"

    @property
    def mobile(self) -> bool:
        """A bus or a roaming service: its place and days are worth checking by phone."""
        return self.format in _MOBILE_FORMATS

    @property
    def full_address(self) -> str:
        street = ", ".join(p for p in (self.address, self.complement) if p)
        town = " ".join(p for p in (self.postal_code, self.commune) if p)
        return ", ".join(p for p in (street, town) if p)

    @property
    def map_link(self) -> str:
        lat, lon = f"{self.latitude:.5f}", f"{self.longitude:.5f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


@dataclass(frozen=True)
class QpvCommune:
    """A commune with priority neighbourhoods: their names and the commune's centroid.

    ``names`` is the dataset's ``lib_com``, which for neighbourhoods spread over several
    communes lists all of them (« Omissy; Saint-Quentin »)."""

    insee: str
    names: tuple[str, ...]
    quartiers: tuple[str, ...]
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Source:
    credit: str  # « ANCT, Liste des structures France Services (data.gouv.fr) »
    date: str  # ISO date (or year-month) of the data
    page: str
    licence: str

    @property
    def date_fr(self) -> str:
        """« 01/08/2024 », or « 07/2026 » for a month."""
        parts = self.date.split("-")
        return "/".join(reversed(parts))


@dataclass(frozen=True)
class OpenData:
    points: tuple[ServicePoint, ...]
    qpv: dict[str, QpvCommune]
    fs_source: Source
    qpv_source: Source


def _clean(value: str | None) -> str:
    # Some names end with a non-breaking space; one space between words everywhere.
    return " ".join((value or "").split())


def _split(value: object, separator: str) -> list[str]:
    return [part for part in (_clean(x) for x in str(value or "").split(separator)) if part]


def decode(raw: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def parse_points(text: str) -> list[ServicePoint]:
    """Every point of a France Services CSV, or :class:`SnapshotError` saying what is wrong."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise SnapshotError(f"colonnes absentes : {', '.join(missing)}")
    points: list[ServicePoint] = []
    bad = 0
    for number, row in enumerate(reader, start=2):
        if any(row.get(c) is None for c in REQUIRED_COLUMNS):
            # A row cut short: the file was cut during the download.
            raise SnapshotError(f"ligne {number} incomplète : fichier tronqué ?")
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except ValueError:
            bad += 1
            continue
        insee = _clean(row["insee_com"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or len(insee) != 5 or not row["id_fs"]:
            bad += 1
            continue
        days = tuple(_clean(row.get(f"h_{d}")) for d in DAYS)
        points.append(
            ServicePoint(
                id=_clean(row["id_fs"]),
                name=_clean(row["lib_fs"]),
                address=_clean(row["adresse"]),
                complement=_clean(row["complement_adresse"]),
                insee=insee,
                postal_code=_clean(row["code_postal"]),
                commune=_clean(row["lib_com"]),
                department=_clean(row["insee_dep"]),
                latitude=lat,
                longitude=lon,
                phone=_clean(row["telephone"]),
                email=_clean(row.get("mail")),
                hours=days,
                comment=_clean(row.get("commentaire")),
                format=_clean(row["format_fs"]),
            )
        )
    if len(points) < MIN_ROWS:
        raise SnapshotError(f"{len(points)} points seulement (au moins {MIN_ROWS} attendus)")
    if bad > MAX_BAD_SHARE * (len(points) + bad):
        raise SnapshotError(f"{bad} lignes sans coordonnées ou code INSEE valables")
    if len({p.id for p in points}) != len(points):
        raise SnapshotError("identifiants id_fs en double")
    return points


def parse_qpv(data: Any) -> dict[str, QpvCommune]:
    found: dict[str, QpvCommune] = {}
    for feature in data.get("features", []):
        props = feature.get("properties") or {}
        lon, lat = (feature.get("geometry") or {}).get("coordinates", (0.0, 0.0))[:2]
        insee = _clean(props.get("insee_com"))
        names = tuple(n for n in (_clean(x) for x in str(props.get("lib_com", "")).split(";")) if n)
        # Names and codes are listed in the same order, comma-separated.
        quartiers = tuple(
            q for q in (_clean(x) for x in str(props.get("lib_qp", "")).split(",")) if q
        )
        if insee:
            found[insee] = QpvCommune(insee, names, quartiers, float(lat), float(lon))
    return found


def read_sources(folder: Path = DATA_DIR) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / SOURCES_FILE).read_text(encoding="utf-8"))
    return data


def source_of(sources: dict[str, Any], key: str) -> Source:
    entry = sources[key]
    return Source(entry["credit"], entry["date"], entry["page"], sources["licence"])


def load(folder: Path = DATA_DIR) -> OpenData:
    """The snapshots of ``folder``, read again only when a file changed (after a refresh)."""
    sources = read_sources(folder)
    files = [folder / SOURCES_FILE] + [folder / sources[k]["file"] for k in (FS_KEY, QPV_KEY)]
    stamp = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _load(folder, stamp)


@functools.lru_cache(maxsize=4)
def _load(folder: Path, _stamp: tuple[tuple[str, int, int], ...]) -> OpenData:
    sources = read_sources(folder)
    with gzip.open(folder / sources[FS_KEY]["file"], "rb") as f:
        points = parse_points(decode(f.read()))
    with gzip.open(folder / sources[QPV_KEY]["file"], "rt", encoding="utf-8") as f:
        qpv = parse_qpv(json.load(f))
    return OpenData(tuple(points), qpv, source_of(sources, FS_KEY), source_of(sources, QPV_KEY))
