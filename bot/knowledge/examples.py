"""Example files that teach the bot without being shown to anyone.

- ``hors_sujet.yaml``: what the contract does not cover (« c'est quoi la capitale du
  Pérou »). A message closer to these than to any objective gets « je n'ai pas trouvé ».
- ``danger/*.yaml``: messages that speak of a danger, per situation of ``securite.yaml``, and
  harmless ones that only sound like it (``sans-danger``). The danger model learns from them.

Both are read with the rest of the knowledge and checked the same way: every problem named with
its file, its line and how to fix it, in French.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final

from rapidfuzz import process

from bot.knowledge.fields import RecordReader, line_of
from bot.knowledge.packed import PackedTexts
from bot.knowledge.problems import Report
from bot.knowledge.yamlsource import Document, YList

OUT_OF_SCOPE_FILE: Final = "hors_sujet.yaml"
DANGER_DIR: Final = "danger"
HARMLESS: Final = "sans-danger"
# Fewer examples than this and the model cannot tell a situation from its neighbours.
MIN_DANGER_EXAMPLES: Final = 150
MIN_HARMLESS_EXAMPLES: Final = 2000
MIN_OUT_OF_SCOPE: Final = 300


def _same(text: str) -> str:
    return " ".join(text.lower().split())


def read_texts(r: RecordReader, value: object, line: int, what: str) -> list[str]:
    """A list of texts under one key; each bad entry is reported, the others kept."""
    if not isinstance(value, YList):
        r.error(line, f"{what} doit être une liste", 'une ligne « - "texte" » par exemple')
        return []
    out: list[str] = []
    seen: set[str] = set()
    for i, entry in enumerate(value):
        eline = line_of(value, i, line)
        if not isinstance(entry, str) or not entry.strip():
            r.error(
                eline,
                f"{what} : cet élément n'est pas un texte",
                "écrivez le message entre guillemets sur une seule ligne",
            )
            continue
        text = " ".join(entry.split())
        if _same(text) in seen:
            r.warn(eline, f"{what} : « {text[:60]} » est en double", "supprimez l'une des lignes")
            continue
        seen.add(_same(text))
        out.append(text)
    return out


def out_of_scope(root: Path, doc: Document | None, report: Report) -> tuple[str, ...]:
    """The examples of ``hors_sujet.yaml`` (optional file)."""
    if doc is None:
        return ()
    path = root / OUT_OF_SCOPE_FILE
    r = RecordReader(report, path)
    data = r.top(doc.data, "hors_sujet", "list")
    if data is None:
        return ()
    texts = read_texts(r, data, data.line, "hors_sujet")
    if len(texts) < MIN_OUT_OF_SCOPE:
        r.warn(
            data.line,
            f"seulement {len(texts)} exemples hors sujet",
            f"ajoutez-en jusqu'à {MIN_OUT_OF_SCOPE} au moins, variés (sport, cuisine, "
            "téléphones, culture générale…)",
        )
    return tuple(texts)


def danger_examples(
    docs: Iterable[tuple[Path, Document]], situation_ids: Iterable[str], report: Report
) -> PackedTexts:
    """Examples per situation id (and ``sans-danger``) from the files of ``danger/``, packed
    (see :mod:`bot.knowledge.packed`)."""
    known = [*situation_ids, HARMLESS]
    found: dict[str, list[str]] = {}
    lines: dict[str, tuple[RecordReader, int]] = {}
    r: RecordReader | None = None
    for path, doc in docs:
        r = RecordReader(report, path)
        data = r.top(doc.data, "exemples", "map")
        if data is None:
            continue
        for key, value in data.items():
            line = data.key_lines[key]
            if key not in known:
                guess = process.extractOne(key, known)
                hint = (
                    f"vouliez-vous dire « {guess[0]} » ?"
                    if guess and guess[1] >= 70
                    else f"identifiants possibles : {', '.join(known)}"
                )
                r.error(line, f"situation inconnue « {key} »", hint)
                continue
            found.setdefault(key, []).extend(read_texts(r, value, line, f"exemples « {key} »"))
            lines.setdefault(key, (r, line))
    if not found or r is None:
        return PackedTexts({})
    for key in known:
        minimum = MIN_HARMLESS_EXAMPLES if key == HARMLESS else MIN_DANGER_EXAMPLES
        count = len(found.get(key, ()))
        if count < minimum:
            where, line = lines.get(key, (r, 1))
            where.warn(
                line,
                f"seulement {count} exemples pour « {key} »",
                f"ajoutez-en jusqu'à {minimum} au moins : le détecteur apprend de leur variété",
            )
    return PackedTexts(found)
