"""``python -m bot bench``: speed and memory of the matcher, on the shipped knowledge and on a
synthetic knowledge N times larger. Figures, not assertions: the README records them."""

from __future__ import annotations

import dataclasses
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from bot.evaluation import load_questions
from bot.knowledge.loader import load_knowledge
from bot.knowledge.models import Knowledge
from bot.matching.matcher import Matcher
from bot.settings import PROJECT_DIR

DEFAULT_QUESTIONS = PROJECT_DIR / "tests" / "data" / "questions.yaml"
REPEAT = 20


def scaled(knowledge: Knowledge, factor: int, seed: int = 0) -> Knowledge:
    """``factor`` copies of every objective, each copy with its own made-up words, so the
    vocabulary, the postings and the example set all grow ``factor`` times."""
    rng = random.Random(seed)
    objectives = []
    for copy in range(factor):

        def vary(text: str, copy: int = copy) -> str:
            if copy == 0:
                return text
            return " ".join(
                f"{w}{copy}{rng.choice('abcdefgh')}" if len(w) > 4 else w for w in text.split()
            )

        for o in knowledge.objectives:
            objectives.append(
                dataclasses.replace(
                    o,
                    id=o.id if copy == 0 else f"{o.id}.{copy}",
                    vocabulary=tuple(vary(v) for v in o.vocabulary),
                    examples=tuple(vary(x) for x in o.examples),
                    explanation=vary(o.explanation),
                )
            )
    return dataclasses.replace(knowledge, objectives=tuple(objectives))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _median_ms(matcher: Matcher, text: str) -> float:
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        matcher.match(text)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def measure(knowledge: Knowledge, questions: list[str], walls: list[str]) -> dict[str, float]:
    builds = []
    for _ in range(5):
        t0 = time.perf_counter()
        Matcher(knowledge)
        builds.append(time.perf_counter() - t0)
    tracemalloc.start()
    matcher = Matcher(knowledge)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for q in questions + walls:  # warm the caches, as a running bot would be
        matcher.match(q)
    latencies = []
    for _ in range(REPEAT):
        for q in questions:
            t0 = time.perf_counter()
            matcher.match(q)
            latencies.append(time.perf_counter() - t0)
    return {
        "objectives": len(knowledge.objectives),
        "build_ms": statistics.median(builds) * 1000,
        "index_mb": peak / 1e6,
        "p50_ms": _percentile(latencies, 0.50) * 1000,
        "p99_ms": _percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies) * 1000,
        "wall_ms": _median_ms(matcher, walls[0]),
        "gibberish_ms": _median_ms(matcher, walls[1]),
    }


def startup_seconds() -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "ask", "je cherche du travail"],
        check=True,
        capture_output=True,
        cwd=PROJECT_DIR,
    )
    return time.perf_counter() - t0


def run_benchmark(knowledge_dir: Path, questions_file: Path | None, scale: int = 10) -> str:
    t0 = time.perf_counter()
    knowledge = load_knowledge(knowledge_dir)
    load_s = time.perf_counter() - t0
    questions = [q.q for q in load_questions(questions_file or DEFAULT_QUESTIONS)]
    rng = random.Random(1)
    words = " ".join(questions).split()
    # Telegram's longest message: 4,096 characters of resident words.
    wall = " ".join(rng.choice(words) for _ in range(900))[:4096]
    # And 4,096 characters of words nobody knows: the worst case for typo correction.
    letters = "abcdefghijklmnopqrstuvwxyz"
    gibberish = " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(700)
    )[:4096]
    walls = [wall, gibberish]
    rows = [
        ("fournie", measure(knowledge, questions, walls)),
        (f"×{scale}", measure(scaled(knowledge, scale), questions, walls)),
    ]
    lines = [
        f"{len(questions)} questions du jeu, {REPEAT} passages chacune ; puis deux messages de "
        "4 096 caractères (médiane) : mots des questions, et mots inventés",
        f"Chargement et vérification des connaissances : {load_s * 1000:.0f} ms",
        "",
        "connaissance  objectifs  index (ms)  mémoire (Mo)  p50 (ms)  p99 (ms)  max (ms)"
        "  4096 mots (ms)  4096 inventés (ms)",
    ]
    for name, m in rows:
        lines.append(
            f"{name:<13} {m['objectives']:>9.0f}  {m['build_ms']:>10.1f}  "
            f"{m['index_mb']:>12.1f}  {m['p50_ms']:>8.3f}  {m['p99_ms']:>8.3f}  "
            f"{m['max_ms']:>8.2f}  {m['wall_ms']:>14.2f}  {m['gibberish_ms']:>18.2f}"
        )
    lines.append("")
    lines.append(
        f"« python -m bot ask » du lancement à la première réponse : {startup_seconds():.2f} s"
    )
    return "\n".join(lines)
