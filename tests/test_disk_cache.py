"""The checked knowledge remembered on disk between starts (bot/knowledge/remembered.py)."""

from __future__ import annotations

import logging
import shutil
import stat
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import disk_cache
from bot.knowledge import remembered
from bot.knowledge.loader import check_knowledge
from bot.knowledge.remembered import checked_knowledge
from bot.store import KnowledgeStore

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"

PATTERN = f"{remembered.PREFIX}*.pickle"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(disk_cache.CACHE_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def kdir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))


def _no_check(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object) -> None:
        raise AssertionError("checked again instead of read back")

    monkeypatch.setattr(remembered, "check_knowledge", fail)


def test_the_checked_knowledge_is_read_back_unchanged(
    cache: Path, kdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge, report = check_knowledge(kdir)
    first = checked_knowledge(kdir)
    assert len(list(cache.glob(PATTERN))) == 1
    _no_check(monkeypatch)
    again, again_report = checked_knowledge(kdir)
    assert again == knowledge == first[0]
    assert [str(p) for p in again_report.problems] == [str(p) for p in report.problems]
    # Its read-only mappings stay read-only.
    assert again is not None
    with pytest.raises(TypeError):
        again.texts["x"] = "y"  # type: ignore[index]


def test_an_edit_a_new_day_or_a_damaged_file_checks_again(
    cache: Path, kdir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    knowledge, _ = checked_knowledge(kdir)
    assert knowledge is not None
    # A staff member's edit: read from the files, not from the cache.
    path = kdir / "thematiques.yaml"
    short = f'nom_court: "{knowledge.themes[0].short_name}"'
    text = path.read_text(encoding="utf-8")
    assert short in text
    path.write_text(text.replace(short, 'nom_court: "Nom modifié"', 1), encoding="utf-8")
    edited, _ = checked_knowledge(kdir)
    assert edited is not None and edited.themes[0].short_name == "Nom modifié"
    # A broken file gives its error, as without the cache.
    path.write_text("themes: [\n", encoding="utf-8")
    broken, report = checked_knowledge(kdir)
    assert broken is None and any(p.file.endswith("thematiques.yaml") for p in report.errors)
    path.write_text(text, encoding="utf-8")
    # Another day: a contact's « verifie_le » may have grown old, so it is checked again.
    later = date.today() + timedelta(days=800)
    _, old = checked_knowledge(kdir, later)
    assert any("plus de 12 mois" in str(p) for p in old.warnings)
    # A damaged file is made again, with a warning, not trusted.
    for f in cache.glob(PATTERN):
        f.write_bytes(b"not a pickle")
    with caplog.at_level(logging.WARNING):
        again, _ = checked_knowledge(kdir)
    assert again == knowledge
    assert "Cache illisible" in caplog.text
    # Only the most recently used few stay.
    assert len(list(cache.glob(PATTERN))) <= disk_cache.KEEP


def test_a_folder_that_cannot_be_written_costs_only_speed(
    tmp_path: Path, kdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(disk_cache.CACHE_DIR_ENV, str(blocked / "cache"))
    knowledge, report = checked_knowledge(kdir)
    assert knowledge is not None and report.ok


def test_a_missing_folder_is_reported_as_without_the_cache(cache: Path, tmp_path: Path) -> None:
    knowledge, report = checked_knowledge(tmp_path / "nowhere")
    assert knowledge is None and "introuvable" in str(report.errors[0])
    assert not cache.exists()


def test_the_store_starts_from_the_cache_and_reloads_from_the_files(
    cache: Path, kdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    KnowledgeStore(kdir)  # the first start checks and remembers
    real = remembered.check_knowledge
    _no_check(monkeypatch)
    store = KnowledgeStore(kdir)  # the next one reads back
    monkeypatch.setattr(remembered, "check_knowledge", real)
    path = kdir / "thematiques.yaml"
    short = f'nom_court: "{store.snapshot.knowledge.themes[0].short_name}"'
    path.write_text(
        path.read_text(encoding="utf-8").replace(short, 'nom_court: "Nom rechargé"', 1),
        encoding="utf-8",
    )
    assert store.reload().ok
    assert store.snapshot.knowledge.themes[0].short_name == "Nom rechargé"


def test_only_the_most_recently_used_files_of_a_kind_stay(cache: Path) -> None:
    for n in range(disk_cache.KEEP + 3):
        disk_cache.remembered("essai-", ".txt", str(n), lambda n=n: n, lambda v: b"%d" % v, int)
    assert len(list(cache.glob("essai-*.txt"))) == disk_cache.KEEP
    assert disk_cache.remembered("essai-", ".txt", "0", lambda: 99, lambda v: b"%d" % v, int) == 99


def test_a_pickle_another_user_could_have_written_is_never_read(
    cache: Path, kdir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Reading a pickle can run code: only one nobody else could have written is read."""
    knowledge, _ = checked_knowledge(kdir)
    (written,) = cache.glob(PATTERN)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600  # whatever the umask
    calls = []
    real = remembered.check_knowledge

    def counted(*args: Any) -> Any:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(remembered, "check_knowledge", counted)
    checked_knowledge(kdir)
    assert calls == []  # read back
    for unsafe, where in ((0o664, written), (0o777, cache)):
        before = stat.S_IMODE(where.stat().st_mode)
        where.chmod(unsafe)
        with caplog.at_level(logging.WARNING):
            again, _ = checked_knowledge(kdir)
        assert again == knowledge and len(calls) == 1  # checked again, not read
        assert "modifiable par un autre utilisateur" in caplog.text
        calls.clear()
        caplog.clear()
        where.chmod(before)
    written.chmod(0o600)
    checked_knowledge(kdir)
    assert calls == []
