"""Load and soak benchmark: many residents talking to the real bot through a fake Bot API.

    python -m tests.load --residents 200 --messages 10 [--faults 0.05] [--reloads 4]

Two processes, as in production where Telegram is elsewhere:

- **the bot** (a child process): the production application from
  :func:`handlers.app.build_application`, polling, with a file question log. Only Telegram's
  overall 30 msg/s limiter is off (``overall_max_rate=0``) and the per-resident flood guard
  is set very high, so that they do not cap the measurement. Its memory (RSS) is the one
  measured; it counts the exceptions that reach its error handler or escape as asyncio task
  errors, and reports them when it stops.
- **Telegram and the residents** (this process): a :class:`~tests.fake_botapi.FakeBotApi`
  and R residents, each sending M updates one after the other (80 % questions, 10 % button
  presses, 10 % inline queries), waiting for the answer before the next one, with at most
  ``--concurrency`` updates in flight: the bot is kept saturated, so the rate measured is
  the highest it absorbs. The default, 8, is enough to saturate it on 2 cores; more in
  flight only adds queueing to the latency (and from about 32, each Bot API call gets
  slower: httpcore scans every pooled connection on each request).

Every update gets its own chat (or inline query id), so each answering call the server
records (sendMessage, editMessageText, answerCallbackQuery, answerInlineQuery) belongs to
exactly one update: latency is push → first answering call, an update without any processed
answer is *lost* (unless Telegram answered 403 "blocked": *refused*), and the same call
processed twice for one update is a *duplicate* (expected only after a delivery hidden by a
dropped connection or a timeout, i.e. at most ``hidden deliveries + timeouts + drops``).

``--faults RATE`` makes each answering call fail with probability RATE (429 retry_after=1,
500, dropped connection, client read timeout, 403 blocked), the dropped connections and
timeouts *after* the server carried the request out (the hard case), plus a few dropped
``getUpdates`` answers. ``--reloads N`` edits a private copy of the knowledge N times during
the run, alternating a good edit (every bot phrase tagged with a new version) and a broken
YAML file, each followed by a staff ``/reload`` (which calls ``services.store.areload()``):
no update may be lost, every answer must come from one knowledge version (never two tags)
that was live while the update was handled, and broken files must be refused.

Exit status: 0 when nothing was lost, no exception escaped, no answer mixed knowledge
versions, every reload behaved and duplicates stayed within their bound; 1 otherwise.

``CDV_LOAD_PROFILE=file`` writes the bot process's cProfile statistics to ``file``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil
import yaml

from tests.fake_botapi import (
    Blocked,
    Call,
    Drop,
    FakeBotApi,
    JSONDict,
    RetryAfter,
    ServerError,
    Timeout,
)
from tests.harness import STAFF_ID, TOKEN, snapshot_knowledge

MB = 1024 * 1024
READY = "READY"
ANSWER_METHODS = frozenset(
    {"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery",
     "answerInlineQuery"}
)  # fmt: skip
TAG = re.compile(r"\[kv(\d+)\]")
TAGGED_TEXTS = (
    "pas_compris", "contact_general", "suggestion", "vote_question", "urgence_titre",
    "menu_thematiques", "accueil",
)  # fmt: skip

QUESTIONS = [
    "je cherche du travail", "jcherche du taf", "mon fils ne va plus à l'école",
    "logement insalubre", "bruit la nuit", "aide aux devoirs", "je veux faire du sport",
    "mon propriétaire ne répare rien", "discrimination à l'embauche", "comment avoir la CAF",
    "je suis seule avec mes enfants", "mon mari me frappe", "il y a des dealers en bas",
    "les poubelles débordent", "je veux créer mon entreprise", "formation pour adultes",
    "apprendre le français", "mon ado traîne dehors", "médecin généraliste", "santé mentale",
    "transport pour aller au travail", "argent", "école", "jeunes", "crèche pour mon bébé",
    "harcèlement au collège", "laïcité", "violences conjugales", "accès aux droits",
    "permis de conduire", "stage de 3e", "espaces verts", "vélo", "rénovation de mon immeuble",
    "chauffage trop cher", "quel temps fait il", "qui a gagné le match", "recette de couscous",
    "???", "bonjour", "merci", "au secours", "mon voisin fait du bruit",
    "je n'ai pas de papiers", "handicap", "personne âgée isolée", "j'ai envie de mourir",
    "<b>logement</b> & <script>", "Je CHERCHE un EMPLOI svp !!!", "🏠 logement 🏠",
    "où trouver une aide pour payer mon loyer", "mon fils est harcelé sur les réseaux",
]  # fmt: skip
INLINE_QUERIES = [
    "taf", "logement", "école", "santé", "", "2.2", "sport", "bruit", "aide devoirs", "emploi",
]  # fmt: skip
EXTRA_BUTTONS = ["menu", "urgence", "contacts", "obj_9-9-9", "v1_1_forgedforged"]


# ----------------------------------------------------------------------------- configuration


@dataclass
class LoadConfig:
    residents: int = 200
    messages: int = 10
    faults: float = 0.0
    reloads: int = 0
    concurrency: int = 8
    seed: int = 1
    read_timeout: float = 1.0  # the bot's Bot API read timeout (production: 10 s)
    timeout_fault: float = 1.5  # an injected timeout answers that late
    poll_faults: int = 3  # dropped getUpdates answers when --faults is on
    answer_timeout: float = 30.0  # an update still unanswered after this is lost

    @property
    def updates(self) -> int:
        return self.residents * self.messages


# ----------------------------------------------------------------------------- the bot process


class _Problems(logging.Handler):
    """Counts what the bot logs at WARNING and above, keeps a few examples of errors."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.by_level: Counter[str] = Counter()
        self.handler_errors = 0
        self.examples: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.by_level[record.levelname] += 1
        if "Erreur pendant le traitement" in record.getMessage():
            self.handler_errors += 1
        if record.levelno >= logging.ERROR and len(self.examples) < 5:
            example = f"{record.name}: {record.getMessage()}"
            if record.exc_info and record.exc_info[1] is not None:
                error = record.exc_info[1]
                example += f" ({type(error).__name__}: {error})"
            self.examples.append(example[:300])


async def serve_bot(base_url: str, knowledge_dir: Path, read_timeout: float) -> JSONDict:
    """Run the production application until stdin says stop; return what it measured."""
    from bot.flood import FloodGuard
    from bot.settings import Settings
    from bot.staff.question_log import QuestionLog
    from handlers.app import build_application

    problems = _Problems()
    root = logging.getLogger()
    root.addHandler(problems)
    root.setLevel(logging.WARNING)
    loop = asyncio.get_running_loop()
    loop_exceptions: list[str] = []
    loop.set_exception_handler(lambda _loop, ctx: loop_exceptions.append(str(ctx)[:500]))

    process = psutil.Process()
    settings = Settings(
        token=TOKEN,
        base_url=base_url,
        knowledge_dir=knowledge_dir,
        staff_user_ids=frozenset({STAFF_ID}),
    )
    question_log = QuestionLog(knowledge_dir.parent / "questions.sqlite3")
    app = build_application(
        settings,
        question_log=question_log,
        watch_knowledge=False,
        overall_max_rate=0,
        flood=FloodGuard(limit=1_000_000_000),
        **({} if read_timeout is None else {"read_timeout": read_timeout}),
    )
    samples: list[int] = []

    async def sample_memory() -> None:
        while True:
            samples.append(process.memory_info().rss)
            await asyncio.sleep(0.1)

    async with app:
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        sampler = asyncio.create_task(sample_memory())
        cpu_start = process.cpu_times()
        rss_ready = process.memory_info().rss
        print(READY, flush=True)
        while (await loop.run_in_executor(None, sys.stdin.readline)).strip() not in ("stop", ""):
            pass
        cpu_end = process.cpu_times()
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
        await app.updater.stop()
        await app.stop()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
    return {
        "rss_ready": rss_ready,
        "rss_peak_sampled": max(samples, default=rss_ready),
        "rss_end": samples[-1] if samples else rss_ready,
        "ru_maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "cpu_seconds": (cpu_end.user + cpu_end.system) - (cpu_start.user + cpu_start.system),
        "warnings": problems.by_level.get("WARNING", 0),
        "errors": problems.by_level.get("ERROR", 0) + problems.by_level.get("CRITICAL", 0),
        "handler_errors": problems.handler_errors,
        "loop_exceptions": len(loop_exceptions),
        "examples": problems.examples + loop_exceptions[:5],
    }


# ----------------------------------------------------------------------------- tracking


@dataclass
class Tracked:
    """One update pushed by a resident, and the answering calls attributed to it."""

    index: int
    kind: str  # "question", "button", "inline", "reload"
    pushed_at: float
    detail: str
    first_answer_at: float | None = None
    last_answer_at: float | None = None
    answers: list[Call] = field(default_factory=list)
    refused: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def answered(self) -> bool:
        return bool(self.answers)

    def texts(self) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.answers if "text" in c.params]

    def duplicates(self) -> int:
        keys = Counter(
            (c.method, str(c.params.get("text", "")), json.dumps(c.params.get("results"))[:200])
            for c in self.answers
        )
        return sum(n - 1 for n in keys.values())


class Tracker:
    """Attributes every answering call the fake server carries out to its update."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        self.by_key: dict[int | str, Tracked] = {}
        self.all: list[Tracked] = []
        self.last_call_at = time.monotonic()
        api.listeners.append(self._on_call)

    def track(self, tracked: Tracked, *keys: int | str) -> Tracked:
        for key in keys:
            self.by_key[key] = tracked
        self.all.append(tracked)
        return tracked

    def _on_call(self, call: Call) -> None:
        if call.method not in ANSWER_METHODS:
            return
        self.last_call_at = time.monotonic()
        params = call.params
        key: Any = params.get("callback_query_id") or params.get("inline_query_id")
        if key is None:
            with contextlib.suppress(TypeError, ValueError):
                key = int(params.get("chat_id", ""))
        tracked = self.by_key.get(key)
        if tracked is None:
            return
        if call.processed:
            if call not in tracked.answers:
                tracked.answers.append(call)
                tracked.first_answer_at = min(tracked.first_answer_at or call.at, call.at)
                tracked.last_answer_at = max(tracked.last_answer_at or call.at, call.at)
            tracked.done.set()
        elif call.status == 403:
            tracked.refused = True
            tracked.done.set()


# ----------------------------------------------------------------------------- knowledge edits


class KnowledgeEditor:
    """Tagged good versions and broken files of ``textes.yaml`` in a private knowledge copy."""

    def __init__(self, knowledge_dir: Path) -> None:
        self.path = knowledge_dir / "textes.yaml"
        self.base = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        self.version = 0
        self.write_version(0)

    def write_version(self, version: int) -> None:
        data = json.loads(json.dumps(self.base))
        for key in TAGGED_TEXTS:
            data["textes"][key] = f"{data['textes'][key]} [kv{version}]"
        self.path.write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000),
            encoding="utf-8",
        )
        self.version = version

    def break_file(self) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write("  : : [\n")


@dataclass
class ReloadEvent:
    number: int
    good: bool
    version: int  # the version the files hold (for a broken file: the one still live)
    pushed_at: float
    tracked: Tracked | None = None

    @property
    def replied_at(self) -> float | None:
        return self.tracked.first_answer_at if self.tracked else None


# ----------------------------------------------------------------------------- the run


@dataclass
class LoadReport:
    config: LoadConfig
    updates: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    refused: int = 0
    lost: int = 0
    lost_examples: list[str] = field(default_factory=list)
    duration: float = 0.0
    throughput: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)
    faults_by_kind: dict[str, int] = field(default_factory=dict)
    hidden_deliveries: int = 0
    duplicates: int = 0
    duplicate_bound: int = 0
    reloads: list[dict[str, Any]] = field(default_factory=list)
    reload_problems: list[str] = field(default_factory=list)
    inconsistent: int = 0
    inconsistent_examples: list[str] = field(default_factory=list)
    bot: JSONDict = field(default_factory=dict)
    driver_exceptions: list[str] = field(default_factory=list)
    driver_cpu_seconds: float = 0.0
    bot_exit_code: int | None = None

    @property
    def exceptions(self) -> int:
        return (
            int(self.bot.get("handler_errors", 1))
            + int(self.bot.get("loop_exceptions", 0))
            + len(self.driver_exceptions)
            + (0 if self.bot_exit_code == 0 else 1)
        )

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.exceptions == 0
            and self.inconsistent == 0
            and not self.reload_problems
            and self.duplicates <= self.duplicate_bound
        )


def _plan(config: LoadConfig, slugs: list[str]) -> list[list[tuple[str, str]]]:
    rng = random.Random(config.seed)
    buttons = slugs + EXTRA_BUTTONS
    plan = []
    for _ in range(config.residents):
        actions = []
        for _ in range(config.messages):
            roll = rng.random()
            if roll < 0.8:
                actions.append(("question", rng.choice(QUESTIONS)))
            elif roll < 0.9:
                actions.append(("button", rng.choice(buttons)))
            else:
                actions.append(("inline", rng.choice(INLINE_QUERIES)))
        plan.append(actions)
    return plan


async def _spawn_bot(base_url: str, knowledge_dir: Path, config: LoadConfig) -> Any:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.load",
        "--serve-bot",
        base_url,
        str(knowledge_dir),
        "--read-timeout",
        str(config.read_timeout),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        cwd=root,
        env=env,
    )


async def run_load(config: LoadConfig) -> LoadReport:
    """Run the whole benchmark; see the module docstring."""
    report = LoadReport(config)
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(
        lambda _loop, ctx: report.driver_exceptions.append(str(ctx.get("exception", ctx))[:300])
    )
    driver = psutil.Process()
    driver_cpu = driver.cpu_times()
    with tempfile.TemporaryDirectory(prefix="cdv-load-") as tmp:
        knowledge_dir = snapshot_knowledge(Path(tmp) / "knowledge")
        editor = KnowledgeEditor(knowledge_dir)
        from bot.knowledge.loader import load_knowledge

        knowledge = load_knowledge(knowledge_dir)
        slugs = [t.slug for t in knowledge.themes] + [o.slug for o in knowledge.orientations]
        slugs += [o.slug for o in knowledge.objectives]
        plan = _plan(config, slugs)

        async with FakeBotApi() as api:
            tracker = Tracker(api)
            bot = await _spawn_bot(api.base_url, knowledge_dir, config)
            try:
                line = await asyncio.wait_for(bot.stdout.readline(), 60)
                if line.decode().strip() != READY:
                    raise RuntimeError(f"the bot did not start: {line!r}")
                await _drive(config, api, tracker, plan, editor, report)
            finally:
                api.clear_faults()
                if bot.returncode is None:
                    bot.stdin.write(b"stop\n")
                    with contextlib.suppress(ConnectionError):
                        await bot.stdin.drain()
                    bot.stdin.close()
                try:
                    out, _ = await asyncio.wait_for(bot.communicate(), 60)
                except TimeoutError:
                    bot.kill()
                    out, _ = await bot.communicate()
                report.bot_exit_code = bot.returncode
                lines = out.decode().strip().splitlines()
                if lines:
                    with contextlib.suppress(ValueError):
                        report.bot = json.loads(lines[-1])
            _account(report, api, tracker)
    end_cpu = driver.cpu_times()
    report.driver_cpu_seconds = (end_cpu.user + end_cpu.system) - (
        driver_cpu.user + driver_cpu.system
    )
    return report


async def _drive(
    config: LoadConfig,
    api: FakeBotApi,
    tracker: Tracker,
    plan: list[list[tuple[str, str]]],
    editor: KnowledgeEditor,
    report: LoadReport,
) -> None:
    if config.faults:
        api.random_faults(
            config.faults,
            kinds=(RetryAfter(1), ServerError(), Drop(), Timeout(config.timeout_fault), Blocked()),
            seed=config.seed,
            deliver_then_fail=True,
        )

    window = asyncio.Semaphore(config.concurrency)
    counter = iter(range(10**9))
    completed = 0
    started = time.monotonic()

    def push(resident: int, kind: str, detail: str) -> Tracked:
        index = next(counter)
        user = 100_000 + resident
        chat = 10_000_000 + index  # one chat per update: each answer has one owner
        if kind == "question":
            update = api.message(user, detail, chat_id=chat)
            tracked = tracker.track(Tracked(index, kind, time.monotonic(), detail), chat)
        elif kind == "button":
            update = api.callback_query(user, detail, chat_id=chat)
            query_id = update["callback_query"]["id"]
            tracked = tracker.track(Tracked(index, kind, time.monotonic(), detail), chat, query_id)
        else:
            update = api.inline_query(user, detail)
            query_id = update["inline_query"]["id"]
            tracked = tracker.track(Tracked(index, kind, time.monotonic(), detail), query_id)
        tracked.pushed_at = time.monotonic()
        api.push(update)
        return tracked

    async def resident(number: int, actions: list[tuple[str, str]]) -> None:
        nonlocal completed
        for kind, detail in actions:
            async with window:
                tracked = push(number, kind, detail)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(tracked.done.wait(), config.answer_timeout)
                completed += 1

    async def reloads() -> None:
        version = 0
        for number in range(1, config.reloads + 1):
            threshold = config.updates * number // (config.reloads + 1)
            while completed < threshold:
                await asyncio.sleep(0.01)
            good = number % 2 == 1
            if good:
                version += 1
                editor.write_version(version)
            else:
                editor.break_file()
            event = ReloadEvent(number, good, version, time.monotonic())
            # An injected 403 may swallow the staff reply: ask again (same files, same
            # outcome), so that the reply can be checked.
            for attempt in range(3):
                staff_chat = 20_000_000 + 10 * number + attempt
                event.tracked = tracker.track(
                    Tracked(-number, "reload", time.monotonic(), "/reload"), staff_chat
                )
                api.push(api.message(STAFF_ID, "/reload", chat_id=staff_chat))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.tracked.done.wait(), config.answer_timeout)
                if not event.tracked.refused or event.tracked.answered:
                    break
            report.reloads.append(asdict_reload(event))
            reload_events.append(event)

    async def poll_faults() -> None:
        # A few getUpdates answers lost on the way back, spread over the run: the bot must
        # get the same updates again (the offset was not confirmed), none may be lost.
        for number in range(1, config.poll_faults + 1):
            threshold = config.updates * number // (config.poll_faults + 1)
            while completed < threshold:
                await asyncio.sleep(0.01)
            api.fail_next("getUpdates", Drop(), deliver_then_fail=True)

    reload_events: list[ReloadEvent] = []
    tasks = [asyncio.create_task(resident(n, actions)) for n, actions in enumerate(plan)]
    reloader = asyncio.create_task(reloads())
    if config.faults:
        tasks.append(asyncio.create_task(poll_faults()))
    await asyncio.gather(*tasks)
    report.duration = (
        max(
            (t.first_answer_at for t in tracker.all if t.first_answer_at and t.kind != "reload"),
            default=time.monotonic(),
        )
        - started
    )
    await reloader
    # Let trailing calls (second chunks, edits after a callback answer, retries) land.
    deadline = time.monotonic() + 15
    while time.monotonic() - tracker.last_call_at < 1.0 and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    _check_reloads(report, tracker, reload_events)


def asdict_reload(event: ReloadEvent) -> dict[str, Any]:
    texts = event.tracked.texts() if event.tracked else []
    return {
        "number": event.number,
        "good": event.good,
        "version": event.version,
        "answered": bool(texts),
        "reply": texts[0][:160] if texts else "",
        "seconds": (event.replied_at - event.pushed_at) if event.replied_at else None,
    }


def _check_reloads(report: LoadReport, tracker: Tracker, events: list[ReloadEvent]) -> None:
    """Each answer shows one knowledge version, live at some point while it was handled."""
    for event in events:
        texts = event.tracked.texts() if event.tracked else []
        reply = texts[0] if texts else ""
        if not reply:
            report.reload_problems.append(f"reload {event.number}: no reply")
        elif event.good and not reply.startswith("✅"):
            report.reload_problems.append(f"reload {event.number}: refused: {reply[:200]}")
        elif not event.good and not (reply.startswith("❌") and "textes.yaml:" in reply):
            report.reload_problems.append(f"reload {event.number}: broken file: {reply[:200]}")
    # Version k is live from (at the earliest) the push of the /reload that loaded it to (at the
    # latest) the reply to the /reload that replaced it.
    good = [e for e in events if e.good]
    live: dict[int, tuple[float, float]] = {0: (float("-inf"), float("inf"))}
    for i, event in enumerate(good):
        live[event.version] = (event.pushed_at, float("inf"))
        previous = good[i - 1].version if i else 0
        live[previous] = (live[previous][0], event.replied_at or float("inf"))
    for tracked in tracker.all:
        if tracked.kind == "reload" or not tracked.answers:
            continue
        versions = {int(v) for text in tracked.texts() for v in TAG.findall(text)}
        problem = ""
        if len(versions) > 1:
            problem = f"mixed versions {sorted(versions)}"
        elif versions:
            (version,) = versions
            start, end = live.get(version, (float("inf"), float("-inf")))
            if not (start <= (tracked.last_answer_at or 0) and end >= tracked.pushed_at):
                problem = f"version {version} was not live"
        if problem:
            report.inconsistent += 1
            if len(report.inconsistent_examples) < 5:
                report.inconsistent_examples.append(f"{tracked.detail!r}: {problem}")


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _account(report: LoadReport, api: FakeBotApi, tracker: Tracker) -> None:
    residents = [t for t in tracker.all if t.kind != "reload"]
    report.updates = len(residents)
    report.by_kind = dict(Counter(t.kind for t in residents))
    report.answered = sum(t.answered for t in residents)
    report.refused = sum(t.refused and not t.answered for t in residents)
    lost = [t for t in residents if not t.answered and not t.refused]
    report.lost = len(lost)
    report.lost_examples = [f"{t.kind} {t.detail!r}" for t in lost[:5]]
    latencies = [(t.first_answer_at - t.pushed_at) * 1000 for t in residents if t.first_answer_at]
    report.latency_ms = {
        "p50": _percentile(latencies, 0.50),
        "p90": _percentile(latencies, 0.90),
        "p99": _percentile(latencies, 0.99),
        "max": max(latencies, default=float("nan")),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
    }
    report.throughput = report.answered / report.duration if report.duration > 0 else 0.0
    report.faults_by_kind = dict(api.faults_injected.by_kind)
    report.hidden_deliveries = api.hidden_deliveries
    report.duplicates = sum(t.duplicates() for t in tracker.all)
    report.duplicate_bound = (
        api.hidden_deliveries
        + api.faults_injected.by_kind.get("Timeout", 0)
        + api.faults_injected.by_kind.get("Drop", 0)
    )


# ----------------------------------------------------------------------------- summary


def summary(report: LoadReport) -> str:
    c = report.config
    bot = report.bot
    lat = report.latency_ms
    kinds = report.by_kind

    def mb(key: str) -> str:
        value = bot.get(key)
        return f"{value / MB:.1f} MB" if isinstance(value, int | float) else "?"

    rows = [
        ("Mises à jour / updates", f"{report.updates} ({c.residents} résidents × {c.messages})"),
        (
            "  questions · boutons · inline",
            f"{kinds.get('question', 0)} · {kinds.get('button', 0)} · {kinds.get('inline', 0)}",
        ),
        ("En vol au plus / max in flight", str(c.concurrency)),
        ("Débit / throughput", f"{report.throughput:.0f} mises à jour/s (updates/s)"),
        ("Durée / duration", f"{report.duration:.2f} s"),
        (
            "Latence / latency p50 · p90 · p99 · max",
            f"{lat['p50']:.1f} · {lat['p90']:.1f} · {lat['p99']:.1f} · {lat['max']:.1f} ms",
        ),
        (
            "Mémoire du bot / bot RSS ready · peak · end",
            f"{mb('rss_ready')} · {mb('rss_peak_sampled')} · {mb('rss_end')}",
        ),
        ("  pic ru_maxrss / peak ru_maxrss", mb("ru_maxrss")),
        (
            "CPU bot · Telegram+résidents / driver",
            f"{bot.get('cpu_seconds', float('nan')):.1f} s · {report.driver_cpu_seconds:.1f} s",
        ),
        ("Répondues / answered", f"{report.answered}"),
        ("Refusées 403 / refused (blocked)", f"{report.refused}"),
        ("Perdues / lost", f"{report.lost}"),
    ]
    if c.faults:
        faults = ", ".join(f"{k} {v}" for k, v in sorted(report.faults_by_kind.items()))
        rows += [
            ("Pannes injectées / faults injected", f"{sum(report.faults_by_kind.values())}"),
            ("  par type / by kind", faults or "0"),
            ("Livraisons cachées / hidden deliveries", str(report.hidden_deliveries)),
            (
                "Doublons / duplicates (bound)",
                f"{report.duplicates} (≤ {report.duplicate_bound})",
            ),
        ]
    if c.reloads:
        done = ", ".join(
            f"{'✅' if r['good'] else '❌'}v{r['version']}"
            + (f" {r['seconds'] * 1000:.0f}ms" if r["seconds"] else " (pas de réponse)")
            for r in report.reloads
        )
        rows += [
            ("Rechargements / reloads", done),
            ("Réponses incohérentes / inconsistent", str(report.inconsistent)),
        ]
    rows += [
        (
            "Exceptions (gestionnaire · asyncio)",
            f"{bot.get('handler_errors', '?')} · {bot.get('loop_exceptions', '?')}"
            + (f" · driver {len(report.driver_exceptions)}" if report.driver_exceptions else ""),
        ),
        ("Avertissements du bot / bot warnings", str(bot.get("warnings", "?"))),
        ("Résultat / result", "OK" if report.ok else "ÉCHEC / FAILED"),
    ]
    width = max(len(k) for k, _ in rows)
    lines = ["", "Charge / load test — tests.load", "-" * (width + 40)]
    lines += [f"{k.ljust(width)}  {v}" for k, v in rows]
    for title, items in (
        ("Perdues / lost", report.lost_examples),
        ("Incohérentes / inconsistent", report.inconsistent_examples),
        ("Rechargements / reloads", report.reload_problems),
        ("Erreurs du bot / bot errors", bot.get("examples", [])),
        ("Exceptions du pilote / driver", report.driver_exceptions[:5]),
    ):
        if items:
            lines.append(f"{title}:")
            lines += [f"  {item}" for item in items]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.load", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--messages", type=int, default=10, help="updates per resident")
    parser.add_argument("--faults", type=float, default=0.0, help="fault rate, e.g. 0.05")
    parser.add_argument("--reloads", type=int, default=0, help="knowledge reloads during the run")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=LoadConfig.concurrency,
        help="updates in flight at most (default %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--read-timeout", type=float, default=LoadConfig.read_timeout)
    parser.add_argument("--json", action="store_true", help="also print the report as JSON")
    parser.add_argument("--serve-bot", nargs=2, metavar=("BASE_URL", "KNOWLEDGE"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args(argv)
    if args.serve_bot:
        base_url, knowledge = args.serve_bot
        profile = os.environ.get("CDV_LOAD_PROFILE")  # a file for the bot's cProfile stats
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            stats = profiler.runcall(
                asyncio.run, serve_bot(base_url, Path(knowledge), args.read_timeout)
            )
            profiler.dump_stats(profile)
        else:
            stats = asyncio.run(serve_bot(base_url, Path(knowledge), args.read_timeout))
        print(json.dumps(stats), flush=True)
        return 0
    config = LoadConfig(
        residents=args.residents,
        messages=args.messages,
        faults=args.faults,
        reloads=args.reloads,
        concurrency=args.concurrency,
        seed=args.seed,
        read_timeout=args.read_timeout,
    )
    report = asyncio.run(run_load(config))
    print(summary(report))
    if args.json:
        data = asdict(report)
        data["ok"] = report.ok
        print(json.dumps(data, default=str))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
