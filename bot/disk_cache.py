"""Results remembered on disk by the hash of everything they are made from.

Some work done at every start depends only on files that rarely change: cleaning the
knowledge's example messages, checking the knowledge. Its result is written to the cache
folder (``var/cache``, or ``DANGER_CACHE_DIR``; the trained models go there too) under a name
holding that hash, and read back by the next start that finds the same hash. A missing,
damaged or stale file is simply made again; a folder that cannot be written costs speed only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Final, TypeVar

log = logging.getLogger(__name__)

CACHE_DIR_ENV: Final = "DANGER_CACHE_DIR"
DEFAULT_CACHE_DIR: Final = Path("var/cache")
# Files of one kind kept: the most recently used few (a staff member's test knowledge must not
# evict the live one's); older ones go.
KEEP: Final = 4

T = TypeVar("T")


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR)


def remembered(
    prefix: str,
    suffix: str,
    digest: str,
    make: Callable[[], T],
    encode: Callable[[T], bytes],
    decode: Callable[[bytes], T | None],
    private: bool = False,
) -> T:
    """What ``make`` gives, read from ``{prefix}{digest}{suffix}`` in the cache folder when
    that file exists and ``decode`` accepts it (``None``, or any exception: made again),
    otherwise made now and written there. ``private``: a file whose reading could run code
    (a pickle) is read only when nobody but this user could have written it."""
    path = cache_dir() / f"{prefix}{digest}{suffix}"
    try:
        if private and not _written_by_us_only(path):
            log.warning(
                "Cache ignoré : %s ou son dossier est modifiable par un autre utilisateur "
                "(réservez le dossier au bot : chmod 700 %s)",
                path.name,
                path.parent,
            )
            found = None
        else:
            found = decode(path.read_bytes())
    except FileNotFoundError:
        found = None
    except Exception as exc:  # a damaged file of ours, whatever the damage: made again
        log.warning("Cache illisible, refait : %s (%s)", path.name, type(exc).__name__)
        found = None
    if found is not None:
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept when older ones are dropped
        return found
    value = make()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # two processes starting at once
        tmp.write_bytes(encode(value))
        if private:
            tmp.chmod(0o600)  # whatever the umask: read back only if nobody else can write it
        os.replace(tmp, path)  # a reader never sees half a file
        prune(prefix, suffix)
    except OSError as exc:
        log.warning("Résultat non mis en cache (%s) : %s", path.name, exc)
    return value


def _written_by_us_only(path: Path) -> bool:
    """The file belongs to this process's user, and neither it nor its folder can be written
    by anyone else. Raises FileNotFoundError for a missing file."""
    file, folder = path.stat(), path.parent.stat()
    others = stat.S_IWGRP | stat.S_IWOTH
    return (
        file.st_uid == os.geteuid()
        and folder.st_uid == os.geteuid()
        and not file.st_mode & others
        and not folder.st_mode & others
    )


def prune(prefix: str, suffix: str) -> None:
    """Drop all but the :data:`KEEP` most recently used files of one kind: each edit of the
    knowledge makes new ones, and nothing else would ever remove the old."""
    folder = cache_dir()
    stamped = []
    for path in folder.glob(f"{prefix}*{suffix}"):
        with contextlib.suppress(OSError):  # removed meanwhile by another process
            stamped.append((path.stat().st_mtime, path))
    for _stamp, old in sorted(stamped)[:-KEEP]:
        old.unlink(missing_ok=True)
