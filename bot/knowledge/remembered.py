"""The checked knowledge, remembered on disk between starts.

Reading and checking the 40 fiches and their files is a third of `ask`'s start-up (0.25–0.35 s
of about 0.9 s on the 2-core machine); hashing what it depends on and reading back its result
takes 15 ms. The result depends
on the knowledge's files, the code that checks them (every file of the ``bot`` package but
the trained models, which it never reads), the date (a contact's ``verifie_le`` grows old) and
the folder's name (the report names files by it): the cache file is named by their hash, so an
edit, a new version or a new day checks again.

Python's pickle, written and read by this program only: a file that another user could have
written (the file or its folder writable by group or others, or not this user's) is not read,
the knowledge is checked instead.
"""

from __future__ import annotations

import copyreg
import functools
import hashlib
import io
import pickle
import sys
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from bot.disk_cache import remembered
from bot.knowledge.loader import check_knowledge
from bot.knowledge.models import Knowledge
from bot.knowledge.problems import Report

PREFIX: Final = "connaissances-verifiees-"
FORMAT: Final = 1
_PACKAGE: Final = Path(__file__).resolve().parent.parent
_NOT_READ: Final = frozenset({".npz", ".pyc", ".tmp"})

Checked = tuple[Knowledge | None, Report]


def _proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _proxy, (dict(proxy),)


def _encode(checked: Checked) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    # The knowledge's read-only mappings, which pickle cannot write by itself; for this
    # pickler only, not for the whole process.
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _reduce_proxy}
    pickler.dump(checked)
    return out.getvalue()


def _decode(data: bytes) -> Checked | None:
    found = pickle.loads(data)
    if (
        isinstance(found, tuple)
        and len(found) == 2
        and isinstance(found[0], Knowledge | None)
        and isinstance(found[1], Report)
    ):
        return found[0], found[1]
    return None


def _files(folder: Path, skip: frozenset[str] = frozenset()) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix not in skip and "__pycache__" not in p.parts
    )


def fingerprint(root: Path, today: date) -> str:
    """The hash of everything :func:`check_knowledge` reads or is made of."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{root}\0{today.isoformat()}".encode())
    for base, files in ((root, _files(root)), (_PACKAGE, _files(_PACKAGE, _NOT_READ))):
        for path in files:
            digest.update(b"\0" + str(path.relative_to(base)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def checked_knowledge(root: Path, today: date | None = None) -> Checked:
    """:func:`~bot.knowledge.loader.check_knowledge`, read back from the cache when nothing it
    depends on changed."""
    root = Path(root)
    if not root.is_dir():  # nothing to remember: the report says so
        return check_knowledge(root, today)
    day = today or date.today()
    digest = fingerprint(root, day)
    make = functools.partial(check_knowledge, root, day)
    return remembered(PREFIX, ".pickle", digest, make, _encode, _decode, private=True)
