"""Load the knowledge folder and check it in one pass that reports every problem.

``check_knowledge(dir)`` returns the knowledge (or ``None``) and a :class:`Report`;
``load_knowledge(dir)`` raises :class:`KnowledgeError` when there is any error, so a running bot
can keep its last good knowledge.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar

from bot.knowledge import examples, hints, yamlerrors
from bot.knowledge.contract import canonical, load_contract
from bot.knowledge.fields import Field, RecordReader, line_of
from bot.knowledge.ids import Kind, is_link_safe, slug
from bot.knowledge.models import Contact, Knowledge, Objective, Orientation, Situation, Theme
from bot.knowledge.problems import KnowledgeError, Report
from bot.knowledge.yamlsource import Document, YamlSyntaxError, YList, YMap, read_yaml
from bot.labels import LABEL_TEXTS
from bot.matching.stopwords import STOPWORDS

T = TypeVar("T")
MIN_EXAMPLES: Final = 8
CONTACT_ID: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")

THEMES_FILE: Final = "thematiques.yaml"
ORIENTATIONS_FILE: Final = "orientations.yaml"
OBJECTIVES_DIR: Final = "objectifs"
NATIONAL_FILE: Final = "contacts/nationaux.yaml"
LOCAL_FILE: Final = "contacts/locaux.yaml"
LEXICON_FILE: Final = "lexique.yaml"
SAFETY_FILE: Final = "securite.yaml"
TEXTS_FILE: Final = "textes.yaml"
SMALLTALK_FILE: Final = "bavardage.yaml"

# Every text the bot says that staff may reword; the value says where it is shown.
REQUIRED_TEXTS: Final[dict[str, str]] = {
    "accueil": "message de bienvenue (/start)",
    "aide": "réponse à /aide",
    "pas_compris": "quand le bot ne trouve pas de réponse",
    "suggestion": "quand plusieurs sujets sont possibles, avant les boutons",
    "confidentialite": "réponse à /confidentialite",
    "urgence_titre": "titre du bloc d'urgence, en tête des réponses",
    "urgence_commande": "réponse à /urgence, avant la liste des numéros",
    "contact_general": "avant les contacts généraux proposés quand le bot ne sait pas",
    "menu_thematiques": "au-dessus des boutons des thématiques",
    "contacts_titre": "réponse à /contacts, avant la liste",
    "seulement_texte": "réponse aux photos, messages vocaux, autocollants…",
    "ralentir": "quand quelqu'un envoie trop de messages d'un coup",
    "erreur": "quand quelque chose se passe mal côté bot",
    "lien_perime": "bouton trop ancien ou invalide",
    "vote_question": "question sous chaque réponse (Oui / Non)",
    "vote_merci": "après un vote",
    **LABEL_TEXTS,  # headers, buttons and command descriptions (bot/labels.py)
}
TEXT_KEYS_OPTIONAL: Final = {"contacts_generaux"}

_THEME_SPEC = {
    "id": Field("id"),
    "titre": Field("text"),
    "nom_court": Field("text"),
    "emoji": Field("text"),
    "transversale": Field("bool"),
    "explication": Field("text"),
}
_ORIENTATION_SPEC = {"id": Field("id"), "titre": Field("text"), "nom_court": Field("text")}
_OBJECTIVE_SPEC = {
    "id": Field("id"),
    "texte": Field("text"),
    "explication": Field("text"),
    "vocabulaire": Field("list"),
    "exemples": Field("list"),
    "contacts": Field("list"),
}
_NATIONAL_SPEC = {
    "id": Field("id"),
    "nom": Field("text"),
    "pour": Field("text"),
    "telephone": Field("optional_text", False),
    "site": Field("optional_text", False),
    "adresse": Field("optional_text", False),
    "horaires": Field("optional_text", False),
    "source": Field("text"),
    "verifie": Field("bool"),
    "sert": Field("list", False),
}
_LOCAL_SPEC = {
    "id": Field("id"),
    "type": Field("text"),
    "nom": Field("optional_text"),
    "adresse": Field("optional_text"),
    "telephone": Field("optional_text"),
    "horaires": Field("optional_text"),
    "site": Field("optional_text"),
    "pour": Field("text"),
    "verifie": Field("bool"),
    "sert": Field("list", False),
}
_SITUATION_SPEC = {
    "id": Field("id"),
    "titre": Field("text"),
    "message": Field("text"),
    "contacts": Field("list"),
    "declencheurs": Field("list"),
}
_SMALLTALK_SPEC = {"mots": Field("list"), "reponse": Field("text")}


def yaml_problem_in_french(problem: str, line: str = "") -> tuple[str, str]:
    """PyYAML explains in English: say what it means, and how to fix it, in French."""
    if "\t" in line[: len(line) - len(line.lstrip())] or "'\\t'" in problem:
        return (
            "tabulation dans l'indentation",
            "remplacez la tabulation par des espaces (deux espaces par niveau)",
        )
    return (
        f"erreur de syntaxe YAML ({problem})",
        "vérifiez l'indentation et les deux-points de cette ligne, et mettez entre "
        "guillemets un texte qui contient « : » ou « # »",
    )


def fold(text: str) -> str:
    """Comparison key for duplicate detection: lowercase, no accents, single spaces."""
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w']+", " ", text).split())


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.report = Report(root)
        self.unreadable: set[str] = set()  # files (or first folder) with a syntax error
        self.rejected: set[str] = set()  # ids of fiches reported as unusable
        self.contract = load_contract()

    # -- files -----------------------------------------------------------------------------
    def read(self, rel: str, required: bool = True) -> tuple[Path, Document | None]:
        path = self.root / rel
        if not path.is_file():
            if required:
                self.report.error(
                    path,
                    1,
                    "fichier introuvable",
                    f"créez {rel} (voir knowledge/README.md) ou restaurez-le",
                )
            return path, None
        try:
            doc = read_yaml(path)
        except YamlSyntaxError as exc:
            self.unreadable.add(rel.split("/")[0])
            # The mistake by kind, at the line where it starts (PyYAML notices it later).
            text = path.read_text(encoding="utf-8", errors="replace")
            found = yamlerrors.diagnose(text)
            if found is None:  # pragma: no cover - read_yaml and diagnose parse alike
                found = yamlerrors.Diagnosis(exc.line, *yaml_problem_in_french(exc.problem))
            self.report.error(path, found.line, found.message, found.fix)
            return path, None
        except UnicodeDecodeError:
            self.report.error(
                path,
                1,
                "le fichier n'est pas en UTF-8",
                "enregistrez-le en UTF-8 dans votre éditeur",
            )
            return path, None
        for hint in yamlerrors.hash_warnings(path.read_text(encoding="utf-8")):
            self.report.warn(path, hint.line, hint.message, hint.fix)
        return path, doc

    def reader(self, path: Path, doc: Document) -> RecordReader:
        r = RecordReader(self.report, path)
        for dup in doc.duplicate_keys:
            r.error(
                dup.line,
                f"le champ « {dup.key} » apparaît deux fois dans la même fiche",
                "gardez-en un seul : le second effacerait le premier",
            )
        return r

    def records(
        self, rel: str, key: str, spec: dict[str, Field], what: str
    ) -> list[tuple[RecordReader, dict[str, Any]]]:
        path, doc = self.read(rel)
        return self.records_of(path, doc, key, spec, what)

    def records_of(
        self, path: Path, doc: Document | None, key: str, spec: dict[str, Field], what: str
    ) -> list[tuple[RecordReader, dict[str, Any]]]:
        if doc is None:
            return []
        r = self.reader(path, doc)
        items = r.top(doc.data, key, "list")
        out = []
        for i, item in enumerate(items or []):
            item_id = item.get("id") if isinstance(item, YMap) else None
            named = isinstance(item_id, str) and item_id
            rec = r.record(item, line_of(items, i, 1), spec, f"{what} {item_id}" if named else what)
            if rec is not None:
                out.append((r, rec))
            elif named:
                # Already reported: its id must not also show up as "missing" or "unknown".
                self.rejected.add(str(item_id))
        return out

    # -- kinds -----------------------------------------------------------------------------
    def titled(
        self,
        rel: str,
        key: str,
        spec: dict[str, Field],
        what: str,
        expected: dict[str, str],
        build: Callable[[str, dict[str, Any]], T],
    ) -> list[T]:
        """Themes and orientations: one fiche per contract id, title verbatim, none missing."""
        found: dict[str, T] = {}
        for r, rec in self.records(rel, key, spec, what):
            item_id, line = rec["id"], rec["_lines"].get("id", rec["_line"])
            if item_id not in expected:
                r.error(
                    line,
                    f"{what} « {item_id} » inconnue du contrat",
                    f"les identifiants possibles sont {', '.join(expected)}",
                )
                continue
            if item_id in found:
                r.error(line, f"{what} « {item_id} » en double", "supprimez l'une des deux fiches")
                continue
            self.verbatim(r, rec, "titre", expected[item_id], f"{what} {item_id}")
            found[item_id] = build(item_id, rec)
        for item_id, title in expected.items():
            if item_id not in found and item_id not in self.rejected and rel not in self.unreadable:
                self.report.error(
                    self.root / rel,
                    1,
                    f"{what} « {item_id} » manquante",
                    f"ajoutez sa fiche : « {title} »",
                )
        return list(found.values())

    def themes(self) -> list[Theme]:
        return self.titled(
            THEMES_FILE,
            "thematiques",
            _THEME_SPEC,
            "thématique",
            self.contract.themes,
            lambda tid, rec: Theme(
                tid,
                rec["titre"],
                rec["nom_court"],
                rec["emoji"],
                rec["transversale"],
                rec["explication"],
            ),
        )

    def orientations(self) -> list[Orientation]:
        return self.titled(
            ORIENTATIONS_FILE,
            "orientations",
            _ORIENTATION_SPEC,
            "orientation",
            self.contract.orientations,
            lambda oid, rec: Orientation(oid, oid.split(".")[0], rec["titre"], rec["nom_court"]),
        )

    def objectives(self) -> list[Objective]:
        folder = self.root / OBJECTIVES_DIR
        files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if not files:
            self.report.error(
                folder,
                1,
                "aucun fichier d'objectifs",
                f"placez les fichiers des objectifs dans {OBJECTIVES_DIR}/",
            )
        found: dict[str, Objective] = {}
        for path in files:
            rel = str(path.relative_to(self.root))
            for r, rec in self.records(rel, "objectifs", _OBJECTIVE_SPEC, "objectif"):
                oid, line = rec["id"], rec["_lines"].get("id", rec["_line"])
                if oid not in self.contract.objectives:
                    close = hints.guess(oid, self.contract.objectives)
                    r.error(
                        line,
                        f"objectif « {oid} » inconnu du contrat",
                        f"vouliez-vous dire « {close} » ?"
                        if close
                        else "utilisez la numérotation du contrat : 1.1.1 … 6.4, T1.1 … T2.3",
                    )
                    continue
                if oid in found:
                    r.error(
                        line,
                        f"objectif « {oid} » en double (déjà dans {found[oid].source})",
                        "gardez une seule fiche par objectif",
                    )
                    continue
                what = f"objectif {oid}"
                self.verbatim(r, rec, "texte", self.contract.objectives[oid], what)
                if len(rec["exemples"]) < MIN_EXAMPLES:
                    r.warn(
                        rec["_lines"].get("exemples", rec["_line"]),
                        f"{what} : seulement {len(rec['exemples'])} exemple(s) de question",
                        f"ajoutez-en pour arriver à au moins {MIN_EXAMPLES}, comme les habitants "
                        "les écrivent",
                    )
                parts = oid.split(".")
                theme_id = parts[0]
                orientation_id = ".".join(parts[:2]) if len(parts) == 3 else None
                found[oid] = Objective(
                    oid,
                    theme_id,
                    orientation_id,
                    rec["texte"],
                    rec["explication"],
                    rec["vocabulaire"],
                    rec["exemples"],
                    rec["contacts"],
                    source=f"{rel}:{line}",
                    example_lines=tuple(
                        line_of(rec["_raw"].get("exemples"), i, line)
                        for i in range(len(rec["exemples"]))
                    ),
                )
                self._lines[oid] = (r, rec)
        for oid, text in self.contract.objectives.items():
            # An unreadable file is already reported: its objectives are not "missing" too.
            if (
                oid not in found
                and oid not in self.rejected
                and OBJECTIVES_DIR not in self.unreadable
            ):
                self.report.error(
                    folder,
                    1,
                    f"l'objectif « {oid} » manque",
                    f"ajoutez sa fiche dans {OBJECTIVES_DIR}/ : « {text} »",
                )
        return sorted(found.values(), key=lambda o: list(self.contract.objectives).index(o.id))

    def contacts(self) -> list[Contact]:
        found: dict[str, Contact] = {}
        for rel, key, spec, local in (
            (NATIONAL_FILE, "nationaux", _NATIONAL_SPEC, False),
            (LOCAL_FILE, "locaux", _LOCAL_SPEC, True),
        ):
            for r, rec in self.records(rel, key, spec, "contact"):
                cid, line = rec["id"], rec["_lines"].get("id", rec["_line"])
                if not CONTACT_ID.match(cid):
                    r.error(
                        line,
                        f"identifiant de contact « {cid} » invalide",
                        "utilisez seulement des minuscules sans accent, des chiffres et des "
                        "tirets, ex. « centre-social-nord »",
                    )
                    continue
                if cid in found:
                    r.error(line, f"contact « {cid} » en double", "donnez-lui un autre identifiant")
                    continue
                c = Contact(
                    cid,
                    rec["nom"],
                    local,
                    rec.get("type", ""),
                    rec["pour"],
                    rec["telephone"],
                    rec["site"],
                    rec["adresse"],
                    rec["horaires"],
                    rec.get("source", ""),
                    rec["verifie"],
                    rec["sert"],
                )
                found[cid] = c
                self._lines[f"contact:{cid}"] = (r, rec)
                phone_problem = hints.phone_problem(c.phone)
                if phone_problem is not None:
                    r.warn(
                        rec["_lines"].get("telephone", rec["_line"]),
                        f"contact « {cid} » : numéro « {c.phone} » inattendu ({phone_problem})",
                        hints.PHONE_FIX,
                    )
                if local and not (c.name and (c.phone or c.address or c.website)):
                    r.warn(
                        rec["_line"],
                        f"fiche locale « {cid} » ({c.kind}) à remplir",
                        "ajoutez le nom et un téléphone, une adresse ou un site, puis "
                        "« verifie: true » ; d'ici là elle n'est pas montrée",
                    )
                elif not c.verified:
                    r.warn(
                        rec["_lines"].get("verifie", rec["_line"]),
                        f"contact « {cid} » non vérifié : il n'est pas montré aux habitants",
                        "vérifiez les informations puis mettez « verifie: true »",
                    )
        return list(found.values())

    def lexicon(self) -> dict[str, tuple[str, ...]]:
        path, doc = self.read(LEXICON_FILE)
        if doc is None:
            return {}
        r = self.reader(path, doc)
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

    def safety(self) -> tuple[list[Situation], list[str]]:
        path, doc = self.read(SAFETY_FILE)
        if doc is None:
            return [], []
        r = self.reader(path, doc)
        data = doc.data
        if not isinstance(data, YMap):
            r.error(
                1,
                "le fichier doit contenir « situations: » et « expressions_sans_danger: »",
                "voir knowledge/README.md",
            )
            return [], []
        for key in data:
            if key not in ("situations", "expressions_sans_danger"):
                r.error(
                    data.key_lines[key],
                    f"clé principale inconnue « {key} »",
                    "seules « situations: » et « expressions_sans_danger: » sont possibles",
                )
        situations: list[Situation] = []
        only_situations = YMap({"situations": data.get("situations")})
        only_situations.line, only_situations.key_lines = data.line, data.key_lines
        if "situations" not in data:
            r.error(1, "la clé « situations: » manque", "ajoutez la liste des situations d'urgence")
        ids: set[str] = set()
        for rr, rec in self.records_of(
            path, Document(only_situations), "situations", _SITUATION_SPEC, "situation d'urgence"
        ):
            sid, line = rec["id"], rec["_lines"].get("id", rec["_line"])
            if not CONTACT_ID.match(sid) or sid in ids:
                rr.error(
                    line,
                    f"identifiant de situation « {sid} » invalide ou en double",
                    "utilisez un identifiant unique en minuscules et tirets",
                )
                continue
            ids.add(sid)
            raw = rec["_raw"].get("declencheurs")
            for i, trigger in enumerate(rec["declencheurs"]):
                if all(w in STOPWORDS for w in fold(trigger).replace("'", " ").split()):
                    # "je" or "il me" would put the emergency block on every message.
                    rr.error(
                        line_of(raw, i, rec["_line"]),
                        f"situation « {sid} » : le déclencheur « {trigger} » est trop large",
                        "ajoutez un mot précis (ex. « me frappe », pas « me »)",
                    )
            situations.append(
                Situation(sid, rec["titre"], rec["message"], rec["contacts"], rec["declencheurs"])
            )
            self._lines[f"situation:{sid}"] = (rr, rec)
        idioms_raw = data.get("expressions_sans_danger")
        idioms: list[str] = []
        if idioms_raw is not None:
            if not isinstance(idioms_raw, YList):
                r.error(
                    data.key_lines["expressions_sans_danger"],
                    "« expressions_sans_danger » doit être une liste",
                    "une ligne « - expression » par expression",
                )
            else:
                idioms = [
                    " ".join(i.split()) for i in idioms_raw if isinstance(i, str) and i.strip()
                ]
        return situations, idioms

    def texts(self) -> tuple[dict[str, str], tuple[str, ...]]:
        path, doc = self.read(TEXTS_FILE)
        if doc is None:
            return {}, ()
        r = self.reader(path, doc)
        data = r.top(doc.data, "textes", "map")
        if data is None:
            return {}, ()
        texts: dict[str, str] = {}
        general: tuple[str, ...] = ()
        for key, value in data.items():
            line = data.key_lines[key]
            if key in TEXT_KEYS_OPTIONAL:
                general = (
                    tuple(v for v in value if isinstance(v, str))
                    if isinstance(value, YList)
                    else ()
                )
                if not isinstance(value, YList):
                    r.error(
                        line,
                        "« contacts_generaux » doit être une liste d'identifiants",
                        "écrivez par exemple « contacts_generaux: [allo-service-public] »",
                    )
                self._general_line = (r, line)
                continue
            if key not in REQUIRED_TEXTS:
                r.error(
                    line,
                    f"texte inconnu « {key} »",
                    f"textes possibles : {', '.join(REQUIRED_TEXTS)}",
                )
                continue
            if not isinstance(value, str) or not value.strip():
                r.error(line, f"le texte « {key} » est vide", f"écrivez le {REQUIRED_TEXTS[key]}")
                continue
            texts[key] = value.strip()
        for key, where in REQUIRED_TEXTS.items():
            if key not in data:
                r.error(data.line, f"le texte « {key} » manque", f"ajoutez « {key}: » ({where})")
        return texts, general

    def smalltalk(self) -> dict[str, tuple[str, ...]]:
        path, doc = self.read(SMALLTALK_FILE)
        if doc is None:
            return {}
        r = self.reader(path, doc)
        data = r.top(doc.data, "bavardage", "map")
        out: dict[str, tuple[str, ...]] = {}
        for key, value in (data or {}).items():
            rec = r.record(value, data.key_lines[key], _SMALLTALK_SPEC, f"bavardage « {key} »")
            if rec is not None:
                out[key] = (rec["reponse"], *rec["mots"])
        return out

    # -- cross checks ----------------------------------------------------------------------
    def verbatim(
        self, r: RecordReader, rec: dict[str, Any], key: str, expected: str, what: str
    ) -> None:
        if canonical(rec[key]) != canonical(expected):
            r.error(
                rec["_lines"].get(key, rec["_line"]),
                f"{what} : le texte ne correspond plus au contrat",
                f"recopiez exactement : « {expected} »",
            )

    def cross_check(self, k: Knowledge) -> None:
        # References into an unreadable contacts file would all look broken: the syntax error
        # is the one thing to fix first.
        contacts_readable = "contacts" not in self.unreadable
        # Checked against the contract, not the loaded files, so one missing fiche does not
        # cascade into dozens of errors here.
        scopes = (
            set(self.contract.themes)
            | set(self.contract.orientations)
            | set(self.contract.objectives)
        )
        contact_ids = [c.id for c in k.contacts]
        for obj in k.objectives:
            r, rec = self._lines[obj.id]
            for cid in obj.contact_ids:
                if k.contact(cid) is None and contacts_readable and cid not in self.rejected:
                    close = hints.guess(cid, contact_ids)
                    r.error(
                        rec["_lines"].get("contacts", rec["_line"]),
                        f"objectif {obj.id} : contact « {cid} » inconnu",
                        f"vouliez-vous dire « {close} » ?"
                        if close
                        else "utilisez un identifiant de contacts/nationaux.yaml ou "
                        "contacts/locaux.yaml",
                    )
            if not any(c.local for c in k.contacts_for(obj)):
                r.warn(
                    rec["_line"],
                    f"objectif {obj.id} : aucun contact local montré",
                    "remplissez et vérifiez une fiche de contacts/locaux.yaml qui le sert",
                )
            kinds: tuple[Kind, ...] = ("th", "obj")
            for item_kind in kinds:
                item_id = obj.theme_id if item_kind == "th" else obj.id
                if not is_link_safe(slug(item_kind, item_id)):
                    r.error(
                        rec["_line"],
                        f"identifiant « {item_id} » inutilisable dans un lien",
                        "gardez la numérotation du contrat",
                    )
        for c in k.contacts:
            r, rec = self._lines[f"contact:{c.id}"]
            for scope in c.serves:
                if scope not in scopes:
                    close = hints.guess(scope, self.contract.objectives)
                    r.error(
                        rec["_lines"].get("sert", rec["_line"]),
                        f"contact « {c.id} » : « {scope} » n'est ni une thématique, ni une "
                        "orientation, ni un objectif",
                        f"vouliez-vous dire « {close} » ?"
                        if close
                        else 'utilisez par exemple "2", "1.2" ou "3.4"',
                    )
        for s in k.situations:
            r, rec = self._lines[f"situation:{s.id}"]
            for cid in s.contact_ids:
                if k.contact(cid) is None and contacts_readable and cid not in self.rejected:
                    r.error(
                        rec["_lines"].get("contacts", rec["_line"]),
                        f"situation « {s.id} » : contact « {cid} » inconnu",
                        hints.did_you_mean(cid, contact_ids, "identifiants de contacts/"),
                    )
            if not k.shown_contacts(s.contact_ids) and contacts_readable:
                r.error(
                    rec["_line"],
                    f"situation « {s.id} » : aucun numéro montrable",
                    "indiquez au moins un contact vérifié",
                )
        if hasattr(self, "_general_line"):
            r, line = self._general_line
            for cid in k.general_contact_ids:
                if k.contact(cid) is None and contacts_readable and cid not in self.rejected:
                    r.error(
                        line,
                        f"contacts_generaux : contact « {cid} » inconnu",
                        hints.did_you_mean(cid, contact_ids, "identifiants de contacts/"),
                    )
        self.duplicates(k)

    def duplicates(self, k: Knowledge) -> None:
        """One keyword or example under two objectives makes the matcher hesitate."""
        for field_name, label in (("vocabulaire", "mot"), ("exemples", "exemple")):
            owner: dict[str, str] = {}
            for obj in k.objectives:
                r, rec = self._lines[obj.id]
                raw = rec["_raw"].get(field_name)
                for i, entry in enumerate(rec[field_name]):
                    key = fold(entry)
                    if key in owner and owner[key] == obj.id:
                        r.warn(
                            line_of(raw, i, rec["_line"]),
                            f"{label} « {entry} » présent deux fois sous {obj.id}",
                            "supprimez l'une des deux lignes (le bot ignore déjà accents et "
                            "majuscules)",
                        )
                    elif key in owner:
                        r.error(
                            line_of(raw, i, rec["_line"]),
                            f"{label} « {entry} » présent sous {owner[key]} et sous {obj.id}",
                            "gardez-le sous un seul objectif, celui qui répond le mieux",
                        )
                    owner.setdefault(key, obj.id)

    def run(self) -> Knowledge | None:
        self._lines: dict[str, tuple[RecordReader, dict[str, Any]]] = {}
        themes = self.themes()
        orientations = self.orientations()
        objectives = self.objectives()
        contacts = self.contacts()
        lexicon = self.lexicon()
        situations, idioms = self.safety()
        texts, general = self.texts()
        smalltalk = self.smalltalk()
        out_of_scope = examples.out_of_scope(
            self.root, self.read(examples.OUT_OF_SCOPE_FILE, required=False)[1], self.report
        )
        danger_docs = [
            (path, doc)
            for path in sorted((self.root / examples.DANGER_DIR).glob("*.yaml"))
            if (doc := self.read(f"{examples.DANGER_DIR}/{path.name}")[1]) is not None
        ]
        # With securite.yaml unreadable every situation would look unknown: its syntax error
        # is the one thing to fix first.
        danger_report = Report(self.root) if SAFETY_FILE in self.unreadable else self.report
        danger = examples.danger_examples(danger_docs, [s.id for s in situations], danger_report)
        known = {
            examples.OUT_OF_SCOPE_FILE,
            "thematiques.yaml",
            "orientations.yaml",
            "lexique.yaml",
            "securite.yaml",
            "textes.yaml",
            "bavardage.yaml",
        }
        for extra in sorted(self.root.glob("*.yaml")):
            if extra.name not in known:
                self.report.warn(
                    extra,
                    1,
                    "fichier ignoré par le bot",
                    "renommez-le ou déplacez-le : voir knowledge/README.md",
                )
        knowledge = Knowledge(
            tuple(themes),
            tuple(orientations),
            tuple(objectives),
            tuple(contacts),
            lexicon,
            tuple(situations),
            tuple(idioms),
            texts,
            general,
            smalltalk,
            out_of_scope,
            danger,
        )
        self.cross_check(knowledge)
        return knowledge if self.report.ok else None


def check_knowledge(root: Path) -> tuple[Knowledge | None, Report]:
    """Load and check everything under ``root``; never raises for bad content."""
    loader = _Loader(Path(root))
    if not loader.root.is_dir():
        loader.report.error(
            loader.root,
            1,
            "dossier de connaissances introuvable",
            "indiquez le bon dossier (KNOWLEDGE_DIR)",
        )
        return None, loader.report
    knowledge = loader.run()
    return knowledge, loader.report


def load_knowledge(root: Path) -> Knowledge:
    knowledge, report = check_knowledge(root)
    if knowledge is None:
        raise KnowledgeError(report)
    return knowledge
