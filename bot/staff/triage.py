"""Triage: from what residents asked to better answers, without writing YAML by hand.

Each question the bot could not answer (or whose answer a resident voted « Non ») is a
lesson. :func:`queue` groups them with their near-duplicates, most frequent first, each with
the three closest objectives. :func:`assign` adds the question to an objective's
``exemples`` (or to ``hors_sujet.yaml``) by inserting one line (:mod:`bot.staff.yamledit`:
comments, order and formatting kept), after checking the whole knowledge folder *with* the
edit in a scratch copy: a refused edit changes nothing on disk. Every action is appended to
the folder's journal (who, what, when) so that :func:`undo` can take an edit back.

Telegram-free: the terminal (``python -m bot triage``) and ``/triage`` both use it; the caller
reloads its knowledge after an edit and shows :func:`verdict`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from bot.knowledge.examples import OUT_OF_SCOPE_FILE
from bot.knowledge.hints import did_you_mean
from bot.knowledge.loader import check_knowledge, fold
from bot.knowledge.models import Knowledge
from bot.knowledge.problems import Problem
from bot.matching.matcher import Matcher, MatchResult
from bot.staff.question_log import Entry
from bot.staff.report import group_similar, is_danger
from bot.staff.yamledit import EditRefused, append_item, find_list, remove_item

OUT_OF_SCOPE: Final = "hors-sujet"
JOURNAL_FILE: Final = "journal-triage.jsonl"
CANDIDATES: Final = 3
MAX_ERRORS_SHOWN: Final = 10

# One edit at a time in this process: two staff members choosing at once would otherwise
# read the same file and the second write would drop the first line.
_EDITING = threading.Lock()


class TriageRefused(Exception):
    """The action was refused; nothing was written. ``errors``: the check's errors, if any."""

    def __init__(self, message: str, errors: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = tuple(errors)

    def explain(self) -> str:
        lines = [f"❌ {self.message}"]
        if self.errors:
            lines.append("Rien n'a été modifié. Erreurs de la vérification :")
            lines += [f"  {p}" for p in self.errors[:MAX_ERRORS_SHOWN]]
            if len(self.errors) > MAX_ERRORS_SHOWN:
                lines.append(f"  … et {len(self.errors) - MAX_ERRORS_SHOWN} autre(s)")
        return "\n".join(lines)


@dataclass(frozen=True)
class Candidate:
    objective_id: str
    text: str
    score: float


@dataclass(frozen=True)
class Item:
    """One group of similar questions to triage (texts already redacted by the log)."""

    id: str
    text: str  # the most frequent wording: the one added as an example
    count: int
    variants: tuple[str, ...]
    unanswered: int  # « pas de réponse » or « sujets proposés »
    voted_no: int  # answered, but a resident voted « Non »
    candidates: tuple[Candidate, ...]
    skipped: bool = False

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["candidates"] = [asdict(c) for c in self.candidates]
        data["variants"] = list(self.variants)
        return data


@dataclass(frozen=True)
class Action:
    """One line of the journal."""

    id: int
    when: str
    who: str
    action: str  # « ajout », « hors-sujet », « passer », « annulation »
    item: str = ""
    question: str = ""
    target: str = ""  # objective id, or « hors-sujet »
    file: str = ""  # relative to the knowledge folder
    line: int = 0
    undoes: int = 0  # for « annulation »: the id of the action taken back


@dataclass(frozen=True)
class Done:
    """What an edit did, for the caller to reload and report."""

    action: Action
    checked: str  # the check's summary on the edited folder
    warnings: tuple[Problem, ...] = field(default=())


def item_id(text: str) -> str:
    """A short id that stays the same between ``--list`` and ``--assign``."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


# -- journal ---------------------------------------------------------------------------------
class Journal:
    """Append-only JSON Lines file of triage actions, beside the files they edit."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def of(cls, knowledge_dir: Path) -> Journal:
        return cls(Path(knowledge_dir) / JOURNAL_FILE)

    def actions(self) -> list[Action]:
        if not self.path.is_file():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                out.append(Action(**{k: v for k, v in data.items() if k in _ACTION_FIELDS}))
        return out

    def append(self, **fields: Any) -> Action:
        actions = self.actions()
        action = Action(
            id=(actions[-1].id + 1) if actions else 1,
            when=datetime.now(UTC).isoformat(timespec="seconds"),
            **fields,
        )
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(asdict(action), ensure_ascii=False) + "\n")
        return action

    def last_edit(self) -> Action | None:
        """The latest edit not taken back yet."""
        actions = self.actions()
        undone = {a.undoes for a in actions if a.action == "annulation"}
        edits = [a for a in actions if a.action in ("ajout", OUT_OF_SCOPE) and a.id not in undone]
        return edits[-1] if edits else None


_ACTION_FIELDS: Final = set(Action.__dataclass_fields__)


# -- the queue -------------------------------------------------------------------------------
def _known(knowledge: Knowledge) -> set[str]:
    """Questions already taught: examples of every objective, and out-of-scope examples."""
    known = {fold(e) for o in knowledge.objectives for e in o.examples}
    known |= {fold(e) for e in knowledge.out_of_scope}
    return known


def candidates(matcher: Matcher, text: str) -> tuple[Candidate, ...]:
    knowledge = matcher.knowledge
    out = []
    for m in matcher.match(text).matches[:CANDIDATES]:
        objective = knowledge.objective(m.objective_id)
        if objective is not None:
            out.append(Candidate(objective.id, objective.text, m.score))
    return tuple(out)


def queue(entries: list[Entry], matcher: Matcher, journal: Journal | None = None) -> list[Item]:
    """Questions to triage: unanswered or voted « Non », never a danger message, not already
    in the knowledge; similar ones grouped, most frequent first, skipped ones last."""
    known = _known(matcher.knowledge)
    picked = [
        e
        for e in entries
        if not is_danger(e)
        and (e.decision in ("unknown", "suggest") or e.helpful is False)
        and fold(e.text) not in known
        and e.text.strip()
    ]
    unanswered = Counter(e.text for e in picked if e.decision in ("unknown", "suggest"))
    voted_no = Counter(e.text for e in picked if e.decision not in ("unknown", "suggest"))
    skipped: dict[str, int] = {}
    for action in journal.actions() if journal is not None else []:
        if action.action == "passer":
            skipped[action.item] = action.id
    items = []
    for group in group_similar(e.text for e in picked):
        members = group.members or (group.text,)
        iid = item_id(group.text)
        items.append(
            Item(
                id=iid,
                text=group.text,
                count=group.count,
                variants=tuple(members[1:]),
                unanswered=sum(unanswered[m] for m in members),
                voted_no=sum(voted_no[m] for m in members),
                candidates=candidates(matcher, group.text),
                skipped=iid in skipped,
            )
        )
    # Skipped ones go last, the longest skipped first: « passer » never loses a question.
    return sorted(items, key=lambda i: (i.skipped, skipped.get(i.id, 0), -i.count))


def find(items: list[Item], wanted: str) -> Item:
    for item in items:
        if item.id == wanted:
            return item
    raise TriageRefused(
        f"question « {wanted} » introuvable dans la liste à trier (déjà rangée ? relancez "
        "« triage --list »)"
    )


# -- editing ---------------------------------------------------------------------------------
def _target_file(knowledge: Knowledge, knowledge_dir: Path, target: str) -> tuple[Path, str]:
    """The file to edit and its path relative to the folder."""
    if target == OUT_OF_SCOPE:
        return knowledge_dir / OUT_OF_SCOPE_FILE, OUT_OF_SCOPE_FILE
    objective = knowledge.objective(target)
    if objective is None:
        ids = [o.id for o in knowledge.objectives]
        raise TriageRefused(
            f"objectif « {target} » inconnu — {did_you_mean(target, ids, 'objectifs possibles')}"
        )
    rel = objective.source.rsplit(":", 1)[0]
    return knowledge_dir / rel, rel


def _edited_text(
    path: Path, rel: str, target: str, question: str, remove: bool
) -> tuple[str, str, int]:
    if not path.is_file():
        raise TriageRefused(f"fichier introuvable : {rel}")
    before = path.read_text(encoding="utf-8")
    try:
        if target == OUT_OF_SCOPE:
            seq = find_list(before, "hors_sujet")
        else:
            seq = find_list(before, "objectifs", target, "exemples")
        edited = (remove_item if remove else append_item)(before, seq, question)
    except EditRefused as exc:
        raise TriageRefused(f"{rel} : {exc}") from exc
    return before, edited.text, edited.line


def _checked_write(knowledge_dir: Path, path: Path, rel: str, before: str, after: str) -> Done:
    """Check the whole folder with the new file in a scratch copy; write only if it passes."""
    with tempfile.TemporaryDirectory(prefix="triage-") as scratch:
        copy = Path(scratch) / knowledge_dir.name
        shutil.copytree(knowledge_dir, copy, ignore=shutil.ignore_patterns(JOURNAL_FILE))
        (copy / rel).write_text(after, encoding="utf-8")
        _knowledge, report = check_knowledge(copy)
    if not report.ok:
        raise TriageRefused(
            "modification refusée : la vérification trouve des erreurs", report.errors
        )
    if path.read_text(encoding="utf-8") != before:
        raise TriageRefused(f"{rel} a changé pendant la vérification : recommencez")
    # Atomic: the bot's watcher never reads a half-written file.
    fd, tmp = tempfile.mkstemp(prefix=".triage-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(after)
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Done(Action(0, "", "", ""), report.summary(), tuple(report.warnings))


def assign(knowledge_dir: Path, knowledge: Knowledge, item: Item, target: str, who: str) -> Done:
    """Add ``item``'s question to ``target`` (an objective id or « hors-sujet »)."""
    knowledge_dir = Path(knowledge_dir)
    target = target.strip()
    if target.lower().replace(" ", "-") in (OUT_OF_SCOPE, "hors_sujet"):
        target = OUT_OF_SCOPE
    path, rel = _target_file(knowledge, knowledge_dir, target)
    with _EDITING:
        before, after, line = _edited_text(path, rel, target, item.text, remove=False)
        done = _checked_write(knowledge_dir, path, rel, before, after)
        action = Journal.of(knowledge_dir).append(
            who=who,
            action=OUT_OF_SCOPE if target == OUT_OF_SCOPE else "ajout",
            item=item.id,
            question=item.text,
            target=target,
            file=rel,
            line=line,
        )
    return Done(action, done.checked, done.warnings)


def undo(knowledge_dir: Path, knowledge: Knowledge, who: str, expected: int | None = None) -> Done:
    """Take back the latest edit not taken back yet (its line removed, the folder checked);
    with ``expected`` (an « Annuler » button), only if that edit is still the latest."""
    knowledge_dir = Path(knowledge_dir)
    journal = Journal.of(knowledge_dir)
    with _EDITING:
        last = journal.last_edit()
        if last is None:
            raise TriageRefused("aucune modification du tri à annuler")
        if expected is not None and last.id != expected:
            raise TriageRefused(
                "une autre modification a été faite depuis : annulez d'abord la plus récente "
                "(python -m bot triage --undo)"
            )
        path, rel = knowledge_dir / last.file, last.file
        before, after, line = _edited_text(path, rel, last.target, last.question, remove=True)
        done = _checked_write(knowledge_dir, path, rel, before, after)
        action = journal.append(
            who=who,
            action="annulation",
            item=last.item,
            question=last.question,
            target=last.target,
            file=rel,
            line=line,
            undoes=last.id,
        )
    return Done(action, done.checked, done.warnings)


def skip(knowledge_dir: Path, item: Item, who: str) -> Action:
    """« passer »: recorded, and the question goes to the end of the list."""
    return Journal.of(knowledge_dir).append(
        who=who, action="passer", item=item.id, question=item.text
    )


# -- what the bot does now -------------------------------------------------------------------
def verdict(matcher: Matcher, question: str, target: str) -> tuple[bool, str]:
    """Whether the reloaded bot now answers ``question`` as staff chose, said in French."""
    result: MatchResult = matcher.match(question)
    best = result.best
    if target == OUT_OF_SCOPE:
        if result.decision == "unknown":
            return True, "✅ Le bot répond maintenant « je n'ai pas trouvé » à cette question."
        return False, (
            f"⚠️ Le bot propose encore l'objectif {best.objective_id if best else '?'} : "
            "ajoutez d'autres messages semblables à hors_sujet.yaml."
        )
    if result.decision == "answer" and best is not None and best.objective_id == target:
        return True, f"✅ Le bot répond maintenant avec l'objectif {target}."
    ids = [m.objective_id for m in result.matches[:CANDIDATES]]
    if result.decision == "suggest" and target in ids:
        return False, (
            f"🟡 Le bot propose maintenant l'objectif {target} parmi {', '.join(ids)} : "
            "ajoutez quelques mots de cette question au « vocabulaire » de l'objectif."
        )
    if result.decision == "answer" and best is not None:
        now = f"répond avec l'objectif {best.objective_id}"
    elif result.decision == "suggest":
        now = f"propose {', '.join(ids)}"
    else:
        now = "ne trouve pas de réponse"
    return False, (
        f"❌ Le bot {now}, pas encore {target} : ajoutez quelques mots de cette question au "
        "« vocabulaire » de l'objectif."
    )


def describe(item: Item, position: int = 0, total: int = 0) -> str:
    """An item for staff, in French plain text."""
    where = f"Question {position}/{total}" if total else "Question"
    reasons = []
    if item.unanswered:
        reasons.append(f"{item.unanswered} sans bonne réponse")
    if item.voted_no:
        reasons.append(f"{item.voted_no} « Non »")
    lines = [f"{where} — posée {item.count} fois ({', '.join(reasons)})", f"« {item.text} »"]
    for variant in item.variants[:3]:
        lines.append(f"   aussi : « {variant} »")
    if item.skipped:
        lines.append("   (déjà passée une fois)")
    return "\n".join(lines)
