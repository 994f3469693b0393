"""Word lists shipped in ``bot/data/`` (written by ``python -m bot train --ship`` from
`wordfreq`, which the bot itself never loads): one folded word a line, gzipped."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path


def read_words(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read().split("\n")


def write_words(path: Path, found: Iterable[str]) -> Path:
    """Write the words sorted; mtime=0: the same list gives the same bytes, so git sees no
    change."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write("\n".join(sorted(found)).encode("utf-8"))
    return path
