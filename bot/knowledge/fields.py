"""Reading one YAML record against a small schema, reporting each problem in French."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import process

from bot.knowledge.problems import Report
from bot.knowledge.yamlsource import YList, YMap

FieldType = Literal["text", "paragraph", "optional_text", "list", "bool", "id"]

_TYPE_WORDS: dict[FieldType, str] = {
    "text": "un texte",
    "paragraph": "un texte",
    "optional_text": "un texte",
    "list": "une liste (lignes commençant par « - » ou [a, b])",
    "bool": "true ou false",
    "id": "un identifiant entre guillemets",
}
_TRUE = {"true", "oui", "yes", "vrai", "1"}
_FALSE = {"false", "non", "no", "faux", "0"}


@dataclass(frozen=True)
class Field:
    type: FieldType
    required: bool = True


def line_of(container: Any, key: str | int, default: int) -> int:
    if isinstance(container, YMap) and isinstance(key, str):
        return container.key_lines.get(key, getattr(container, "line", default))
    if isinstance(container, YList) and isinstance(key, int) and key < len(container.item_lines):
        return container.item_lines[key]
    return getattr(container, "line", default)


class RecordReader:
    """Validates records of one file; collects problems instead of stopping at the first."""

    def __init__(self, report: Report, path: Path) -> None:
        self.report = report
        self.path = path

    def error(self, line: int, message: str, fix: str) -> None:
        self.report.error(self.path, line, message, fix)

    def warn(self, line: int, message: str, fix: str) -> None:
        self.report.warn(self.path, line, message, fix)

    def top(self, data: Any, key: str, kind: Literal["list", "map"]) -> Any:
        """The file's main entry (``objectifs:``, ``lexique:``…) or ``None`` after a report."""
        if not isinstance(data, YMap) or key not in data:
            line = data.line if isinstance(data, YMap) else 1
            self.error(
                line,
                f"la clé principale « {key}: » manque",
                f"commencez le fichier par une ligne « {key}: » sans espace devant",
            )
            return None
        for other in data:
            if other != key:
                self.error(
                    data.key_lines[other],
                    f"clé principale inconnue « {other} »",
                    f"ce fichier ne contient que « {key}: » ; supprimez ou déplacez cette partie",
                )
        value = data[key]
        expected = YList if kind == "list" else YMap
        if not isinstance(value, expected):
            what = (
                "une liste d'éléments commençant par « - »"
                if kind == "list"
                else "des lignes « mot: valeur » indentées"
            )
            self.error(
                data.key_lines[key],
                f"« {key} » doit contenir {what}",
                "vérifiez l'indentation sous cette ligne",
            )
            return None
        return value

    def record(
        self, item: Any, line: int, spec: dict[str, Field], what: str
    ) -> dict[str, Any] | None:
        """Check one mapping against ``spec``; return clean values, or ``None`` if unusable."""
        if not isinstance(item, YMap):
            self.error(
                line,
                f"{what} : cet élément devrait être une fiche « champ: valeur »",
                'indentez les champs sous le tiret, ex. « - id: "2.1" »',
            )
            return None
        out: dict[str, Any] = {}
        usable = True
        for key in item:
            if key not in spec:
                guess = process.extractOne(key, list(spec))
                hint = (
                    f"vouliez-vous dire « {guess[0]} » ?"
                    if guess and guess[1] >= 70
                    else f"champs possibles : {', '.join(spec)}"
                )
                self.error(item.key_lines[key], f"{what} : champ inconnu « {key} »", hint)
        for name, field in spec.items():
            kline = item.key_lines.get(name, item.line)
            if name not in item or item[name] is None:
                if field.required:
                    self.error(
                        item.line,
                        f"{what} : le champ « {name} » manque",
                        f"ajoutez « {name}: » avec {_TYPE_WORDS[field.type]}",
                    )
                    usable = False
                out[name] = self._default(field)
                continue
            value = self._convert(item[name], field, kline, name, what)
            if value is None:
                usable = usable and not field.required
                out[name] = self._default(field)
            else:
                out[name] = value
        out["_line"] = item.line
        out["_lines"] = item.key_lines
        out["_raw"] = item
        return out if usable else None

    @staticmethod
    def _default(field: Field) -> Any:
        return {"list": (), "bool": False}.get(field.type, "")

    def _convert(self, value: Any, field: Field, line: int, name: str, what: str) -> Any:
        if field.type in ("text", "paragraph", "optional_text", "id"):
            if not isinstance(value, str):
                self.error(
                    line,
                    f"{what} : « {name} » doit être {_TYPE_WORDS[field.type]}",
                    "écrivez la valeur sur la même ligne, entre guillemets",
                )
                return None
            # A paragraph keeps its line breaks (bullets written with « |- »); other texts are
            # one line. Spaces inside a line are always normalised.
            lines = (" ".join(line.split()) for line in value.strip().splitlines())
            joiner = "\n" if field.type == "paragraph" else " "
            text = joiner.join(line for line in lines if line)
            if field.type != "optional_text" and not text:
                self.error(
                    line,
                    f"{what} : « {name} » est vide",
                    "écrivez un texte à la place des guillemets vides",
                )
                return None
            return text
        if field.type == "bool":
            word = value.strip().lower() if isinstance(value, str) else ""
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
            self.error(
                line,
                f"{what} : « {name} » doit être true ou false",
                f"écrivez « {name}: true » ou « {name}: false »",
            )
            return None
        # list of non-empty strings
        if isinstance(value, str):
            self.error(
                line,
                f"{what} : « {name} » doit être une liste",
                f"écrivez « {name}: [{value}] » ou une ligne « - {value} » par élément",
            )
            return None
        if not isinstance(value, YList):
            self.error(
                line,
                f"{what} : « {name} » doit être une liste",
                "une ligne « - élément » par élément, indentée sous le champ",
            )
            return None
        items: list[str] = []
        for i, entry in enumerate(value):
            eline = line_of(value, i, line)
            if not isinstance(entry, str):
                self.error(
                    eline,
                    f"{what} : un élément de « {name} » n'est pas un simple texte",
                    "mettez ce texte entre guillemets (il contient sans doute « : »)",
                )
                continue
            text = " ".join(entry.split())
            if not text:
                self.error(
                    eline,
                    f"{what} : élément vide dans « {name} »",
                    "supprimez cette ligne ou écrivez un texte",
                )
                continue
            items.append(text)
        return tuple(items)
