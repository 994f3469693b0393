"""``python -m bot opendata refresh``: the current France Services list from data.gouv.fr.

The dataset's API address is stable; it names the current CSV file, which is downloaded,
parsed and checked (columns, row count, coordinates) before it replaces the shipped snapshot.
A broken, partial or suspiciously short download changes nothing.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPException
from pathlib import Path
from typing import Any, Final

from bot.localities.data import (
    DATA_DIR,
    FS_KEY,
    SOURCES_FILE,
    SnapshotError,
    decode,
    parse_points,
    read_sources,
)
from bot.localities.generate import write_atomically

DATASET_API: Final = "https://www.data.gouv.fr/api/1/datasets/liste-des-structures-france-services/"
MAX_BYTES: Final = 50_000_000
TIMEOUT_S: Final = 60.0
# A new list may lose a few points, not a large share of them.
MIN_SHARE_OF_CURRENT: Final = 0.9
_DATED: Final = re.compile(r"(20\d\d)(\d\d)(\d\d)")


class RefreshError(Exception):
    """Why the snapshot was kept (in French, for staff)."""


@dataclass(frozen=True)
class Refreshed:
    rows: int
    previous: int
    date: str
    url: str


def fetch(url: str, timeout: float = TIMEOUT_S) -> tuple[bytes, str]:
    """The body at ``url`` and the address it came from after redirects; a body shorter than
    announced, or too large, is an error."""
    request = urllib.request.Request(url, headers={"User-Agent": "assistant-contrat-de-ville"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
            announced = response.headers.get("Content-Length")
            final_url = response.geturl()
    except (urllib.error.URLError, HTTPException, TimeoutError, OSError) as exc:
        raise RefreshError(f"téléchargement impossible ({exc})") from exc
    if len(body) > MAX_BYTES:
        raise RefreshError(f"fichier trop gros (plus de {MAX_BYTES // 1_000_000} Mo)")
    if announced is not None and announced.isdigit() and int(announced) != len(body):
        raise RefreshError(f"téléchargement incomplet ({len(body)} octets sur {announced})")
    return body, final_url


def csv_resource(dataset: Any) -> tuple[str, str]:
    """The address and date of the dataset's list of points: its most recent CSV resource,
    not the per-commune one (« liste-fs-com2024-… »)."""
    best: tuple[str, str, str] | None = None
    for res in dataset.get("resources", []) if isinstance(dataset, dict) else []:
        url = str(res.get("url") or "")
        title = str(res.get("title") or "")
        fmt = str(res.get("format") or "").lower()
        if not url or (fmt != "csv" and not url.lower().endswith(".csv")):
            continue
        if "com20" in title.lower() or "com20" in url.lower():
            continue
        stamp = str(res.get("last_modified") or res.get("created_at") or "")
        if best is None or stamp > best[0]:
            best = (stamp, url, title)
    if best is None:
        raise RefreshError("le jeu de données ne contient aucun fichier CSV")
    return best[1], _date_of(best[2] or best[1], best[0])


def _date_of(name: str, stamp: str) -> str:
    """The data's date: the one in the file name (« liste-fs-20240801.csv »), else the
    resource's last modification, else today."""
    found = _DATED.search(name)
    if found:
        return "-".join(found.groups())
    if re.match(r"^\d{4}-\d{2}-\d{2}", stamp):
        return stamp[:10]
    return datetime.now(UTC).date().isoformat()


def refresh(url: str = DATASET_API, folder: Path = DATA_DIR) -> Refreshed:
    """Download, check, and only then replace the France Services snapshot of ``folder``."""
    body, final_url = fetch(url)
    date = _date_of(final_url, "")
    if body.lstrip()[:1] == b"{":  # the dataset's description: it names the current file
        try:
            dataset = json.loads(body)
        except ValueError as exc:
            raise RefreshError("réponse illisible du site data.gouv.fr") from exc
        csv_url, date = csv_resource(dataset)
        body, final_url = fetch(csv_url)
    try:
        points = parse_points(decode(body))
    except SnapshotError as exc:
        raise RefreshError(f"fichier refusé : {exc}") from exc
    sources = read_sources(folder)
    entry = sources[FS_KEY]
    previous = int(entry.get("rows") or 0)
    if len(points) < MIN_SHARE_OF_CURRENT * previous:
        raise RefreshError(
            f"fichier refusé : {len(points)} points contre {previous} dans l'instantané actuel"
        )
    # The text as received, re-encoded in UTF-8 so the reader needs no guessing.
    text = decode(body)
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", mtime=0, filename="") as f:
        f.write(text.encode("utf-8"))
    target = folder / entry["file"]
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(packed.getvalue())
    tmp.replace(target)
    entry.update(rows=len(points), date=date, copied_from=final_url)
    write_atomically(
        folder / SOURCES_FILE, json.dumps(sources, ensure_ascii=False, indent=2) + "\n"
    )
    return Refreshed(len(points), previous, date, final_url)
