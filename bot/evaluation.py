"""Measure the matcher on a question file of the shared format (``q`` and ``expect``).

A message that raises two subjects may give ``first`` and ``second`` instead of ``expect``:
the objectives that answer each. Either answers it (as ``expect``), and ``eval`` also counts
how often the reply offers both (its card or choices, and the second subject's button)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.matching.matcher import SHOWN, Matcher, MatchResult

# A message of this many words or more counts as long (a greeting, context, one question).
LONG_WORDS = 30


@dataclass(frozen=True)
class EvalQuestion:
    q: str
    expect: tuple[str, ...]
    style: str = ""  # long, sms, indirect… when the file says; "long" is also guessed
    # A message with two subjects: what answers each (``expect`` holds both).
    subjects: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    @property
    def long(self) -> bool:
        return self.style == "long" or len(self.q.split()) >= LONG_WORDS


@dataclass
class EvalResult:
    in_scope: int = 0
    out_scope: int = 0
    top1: int = 0
    ranked1: int = 0  # right objective ranked first, whatever the decision
    top3: int = 0
    unknown_in_scope: int = 0
    out_scope_rejected: int = 0
    two_subjects: int = 0
    both_offered: int = 0  # of the messages with two subjects: both offered by the reply
    misses: list[tuple[EvalQuestion, MatchResult]] = field(default_factory=list)

    def rate(self, n: int, d: int) -> float:
        return n / d if d else 1.0

    @property
    def top1_rate(self) -> float:
        return self.rate(self.top1, self.in_scope)

    @property
    def ranked1_rate(self) -> float:
        return self.rate(self.ranked1, self.in_scope)

    @property
    def top3_rate(self) -> float:
        return self.rate(self.top3, self.in_scope)

    @property
    def unknown_rate(self) -> float:
        return self.rate(self.unknown_in_scope, self.in_scope)

    @property
    def rejected_rate(self) -> float:
        return self.rate(self.out_scope_rejected, self.out_scope)

    @property
    def both_rate(self) -> float:
        return self.rate(self.both_offered, self.two_subjects)


def load_questions(path: Path) -> list[EvalQuestion]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [_question(e) for e in data]


def _question(entry: dict[str, object]) -> EvalQuestion:
    def ids(key: str) -> tuple[str, ...]:
        found = entry.get(key) or ()
        return tuple(str(x) for x in found) if isinstance(found, list) else ()

    style = str(entry.get("style") or "")
    if "first" in entry:
        first, second = ids("first"), ids("second")
        return EvalQuestion(str(entry["q"]), first + second, style, (first, second))
    return EvalQuestion(str(entry["q"]), ids("expect"), style)


def offered(result: MatchResult) -> list[str]:
    """The objectives a reply offers: its card or choices, and the second subject."""
    if result.decision == "unknown":
        return []
    shown = [m.objective_id for m in result.matches[:SHOWN]]
    return shown + ([result.also.objective_id] if result.also else [])


def evaluate(matcher: Matcher, questions: list[EvalQuestion]) -> EvalResult:
    res = EvalResult()
    for question in questions:
        r = matcher.match(question.q)
        ids = [m.objective_id for m in r.matches]
        if not question.expect:
            res.out_scope += 1
            if r.decision == "unknown":
                res.out_scope_rejected += 1
            else:
                res.misses.append((question, r))
            continue
        res.in_scope += 1
        hit1 = r.decision == "answer" and bool(ids) and ids[0] in question.expect
        res.top1 += hit1
        res.ranked1 += bool(ids) and ids[0] in question.expect
        res.top3 += any(i in question.expect for i in ids[:3])
        res.unknown_in_scope += r.decision == "unknown"
        if question.subjects is not None:
            res.two_subjects += 1
            got = set(offered(r))
            res.both_offered += all(got.intersection(s) for s in question.subjects)
        if not hit1:
            res.misses.append((question, r))
    return res


def by_group(matcher: Matcher, questions: list[EvalQuestion]) -> dict[str, EvalResult]:
    """Figures per style of the file, plus « longs » (long messages) when there are any."""
    groups: dict[str, list[EvalQuestion]] = {}
    for q in questions:
        if q.style:
            groups.setdefault(q.style, []).append(q)
        if q.long and q.expect:
            groups.setdefault("longs", []).append(q)
    return {name: evaluate(matcher, qs) for name, qs in sorted(groups.items())}


def format_groups(groups: dict[str, EvalResult]) -> str:
    lines = ["par style :"]
    for name, r in groups.items():
        if r.in_scope:
            lines.append(
                f"  {name:<12} {r.in_scope:>4} dans le sujet : top-1 {r.top1_rate:.1%}, "
                f"classé 1er {r.ranked1_rate:.1%}, top-3 {r.top3_rate:.1%}, "
                f"inconnu {r.unknown_rate:.1%}"
                + (f", les deux sujets proposés {r.both_rate:.1%}" if r.two_subjects else "")
            )
        if r.out_scope:
            lines.append(f"  {name:<12} {r.out_scope:>4} hors sujet : rejeté {r.rejected_rate:.1%}")
    return "\n".join(lines)


def format_result(res: EvalResult, show_misses: bool = True) -> str:
    lines = []
    if show_misses and res.misses:
        lines.append("Questions manquées :")
        for q, r in res.misses:
            got = ", ".join(f"{m.objective_id} ({m.score:.2f})" for m in r.matches[:3]) or "—"
            want = ", ".join(q.expect) or "hors sujet"
            lines.append(f"  [{r.decision}] {q.q!r} attendu {want} ; obtenu {got}")
        lines.append("")
    lines += [
        f"questions dans le sujet : {res.in_scope}, hors sujet : {res.out_scope}",
        f"top-1 : {res.top1_rate:.1%} ({res.top1}/{res.in_scope})",
        f"classé premier (quelle que soit la décision) : {res.ranked1_rate:.1%} "
        f"({res.ranked1}/{res.in_scope})",
        f"top-3 : {res.top3_rate:.1%} ({res.top3}/{res.in_scope})",
        f"inconnu alors que dans le sujet : {res.unknown_rate:.1%} "
        f"({res.unknown_in_scope}/{res.in_scope})",
        f"hors sujet rejeté : {res.rejected_rate:.1%} ({res.out_scope_rejected}/{res.out_scope})",
    ]
    if res.two_subjects:
        lines.append(
            f"deux sujets, les deux proposés : {res.both_rate:.1%} "
            f"({res.both_offered}/{res.two_subjects})"
        )
    return "\n".join(lines)
