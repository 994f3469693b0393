"""lexique.yaml: a familiar word and the words it means (« taf: [travail, emploi] »)."""

from __future__ import annotations

from typing import Final

from bot.knowledge.kinds.session import Session, fold
from bot.knowledge.yamlsource import YList

LEXICON_FILE: Final = "lexique.yaml"


def lexicon(s: Session) -> dict[str, tuple[str, ...]]:
    path, doc = s.read(LEXICON_FILE)
    if doc is None:
        return {}
    r = s.reader(path, doc)
    entries = r.top(doc.data, "lexique", "map")
    out: dict[str, tuple[str, ...]] = {}
    seen: dict[str, int] = {}
    for word, meaning in (entries or {}).items():
        line = entries.key_lines[word]
        key = fold(word)
        if not key:
            r.error(line, "mot vide dans le lexique", "écrivez le mot familier avant « : »")
            continue
        if key in seen:
            r.error(
                line,
                f"« {word} » est déjà dans le lexique (ligne {seen[key]})",
                "regroupez les sens sur une seule ligne",
            )
            continue
        seen[key] = line
        values = [meaning] if isinstance(meaning, str) else meaning
        if (
            (not isinstance(values, YList) and not isinstance(values, list))
            or not values
            or not all(isinstance(v, str) and v.strip() for v in values)
        ):
            r.error(
                line,
                f"lexique : le sens de « {word} » doit être une liste de mots",
                f"écrivez par exemple « {word}: [travail, emploi] »",
            )
            continue
        out[key] = tuple(fold(v) for v in values)
    return out
