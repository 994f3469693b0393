"""Command line: ``python -m bot COMMAND``. Output for people is in French."""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.answer import compose, objective_reply
from bot.knowledge.loader import check_knowledge
from bot.knowledge.models import Knowledge
from bot.knowledge.problems import KnowledgeError, Report
from bot.matching.matcher import Matcher, MatchResult
from bot.render.text import render_text
from bot.settings import Settings, SettingsError
from bot.store import KnowledgeStore


def _print_report(report: Report, out: TextIO) -> None:
    if report.errors:
        print("Erreurs :", file=out)
        for p in report.errors:
            print(f"  {p}", file=out)
    if report.warnings:
        print("Avertissements :", file=out)
        for p in report.warnings:
            print(f"  {p}", file=out)
    print(report.summary(), file=out)


def _load(directory: Path) -> Knowledge:
    knowledge, report = check_knowledge(directory)
    if knowledge is None:
        _print_report(Report(report.root, report.errors), sys.stderr)
        print("Corrigez ces erreurs (python -m bot check) puis relancez.", file=sys.stderr)
        raise SystemExit(1)
    return knowledge


def _knowledge_dir(args: argparse.Namespace) -> Path:
    given: Path | None = getattr(args, "knowledge", None)
    return given if given is not None else Settings.from_env().knowledge_dir


def json_line(result: MatchResult, knowledge: Knowledge) -> str:
    """One line of ``ask --json``: a stable format that tools outside the project rely on."""
    matches = []
    for m in result.matches:
        o = knowledge.objective(m.objective_id)
        if o is None:
            continue
        matches.append(
            {
                "objective": o.id,
                "theme": o.theme_id,
                "orientation": o.orientation_id,
                "score": round(m.score, 4),
            }
        )
    return json.dumps(
        {
            "question": result.question,
            "decision": result.decision,
            "emergency": result.emergency,
            "matches": matches,
        },
        ensure_ascii=False,
    )


def cmd_check(args: argparse.Namespace) -> int:
    _knowledge, report = check_knowledge(args.dir or Settings.from_env().knowledge_dir)
    _print_report(report, sys.stdout)
    return 0 if report.ok else 1


def cmd_ask(args: argparse.Namespace) -> int:
    knowledge = _load(_knowledge_dir(args))
    matcher = Matcher(knowledge)
    questions = [" ".join(args.question)] if args.question else None
    if args.json:
        lines = questions if questions is not None else (line.rstrip("\n") for line in sys.stdin)
        for q in lines:
            if q.strip():
                print(json_line(matcher.match(q), knowledge), flush=True)
        return 0
    if questions is None:
        questions = [sys.stdin.read()]
    for q in questions:
        print(render_text(compose(knowledge, matcher.match(q))))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    knowledge = _load(_knowledge_dir(args))
    matcher = Matcher(knowledge)
    print(knowledge.text("accueil"))
    print("\nSujets : " + " · ".join(t.label for t in knowledge.themes))
    print("(Tapez votre question, le numéro d'un sujet proposé, ou « quitter » pour sortir.)")
    candidates: tuple[str, ...] = ()
    while True:
        try:
            line = input("\nvous › ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.lower() in {"quitter", "exit", "quit", "q"}:
            return 0
        if line.isdigit() and 0 < int(line) <= len(candidates):
            # The terminal's version of a button: the number of a proposed subject.
            reply = objective_reply(knowledge, candidates[int(line) - 1])
        elif line:
            reply = compose(knowledge, matcher.match(line))
        else:
            continue
        if reply is not None:
            candidates = tuple(c.objective_id for c in reply.candidates)
            print(render_text(reply))


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation import evaluate, format_result, load_questions

    matcher = Matcher(_load(_knowledge_dir(args)))
    res = evaluate(matcher, load_questions(args.file))
    print(format_result(res, show_misses=not args.quiet))
    failed = []
    for name, value, floor, higher in (
        ("top-1", res.top1_rate, args.min_top1, True),
        ("top-3", res.top3_rate, args.min_top3, True),
        ("inconnu dans le sujet", res.unknown_rate, args.max_unknown, False),
        ("hors sujet rejeté", res.rejected_rate, args.min_rejected, True),
    ):
        if floor is not None and (value < floor if higher else value > floor):
            failed.append(f"{name} {value:.1%} (seuil {floor:.0%})")
    if failed:
        print("SEUILS NON ATTEINTS : " + " ; ".join(failed))
        return 1
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bot.benchmark import run_benchmark

    print(run_benchmark(_knowledge_dir(args), args.questions, scale=args.scale))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.app import run_bot

    settings = Settings.from_env()
    if not settings.token:
        print(
            "TELEGRAM_BOT_TOKEN n'est pas défini : impossible de lancer le bot Telegram.",
            file=sys.stderr,
        )
        return 1
    mode = getattr(args, "mode", None)
    if mode == "webhook" and not settings.webhook_url:
        print(
            "Le mode webhook demande WEBHOOK_URL (adresse publique https du bot).", file=sys.stderr
        )
        return 1
    knowledge_dir = getattr(args, "knowledge", None)
    if knowledge_dir is not None:
        settings = dataclasses.replace(settings, knowledge_dir=knowledge_dir)
    try:
        store = KnowledgeStore(settings.knowledge_dir)
    except KnowledgeError as exc:
        _print_report(Report(exc.report.root, exc.report.errors), sys.stderr)
        print(
            "Le bot ne démarre pas tant que ces erreurs ne sont pas corrigées "
            "(python -m bot check).",
            file=sys.stderr,
        )
        return 1
    webhook = bool(settings.webhook_url) if mode is None else mode == "webhook"
    run_bot(settings, webhook=webhook, store=store)
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    """The README's run command: Telegram when a token is configured, else the terminal chat."""
    if Settings.from_env().token:
        return cmd_run(args)
    print(
        "Pas de TELEGRAM_BOT_TOKEN : discussion dans le terminal avec les connaissances fournies.\n"
    )
    return cmd_chat(args)


def cmd_report(args: argparse.Namespace) -> int:
    from bot.staff.question_log import QuestionLog
    from bot.staff.report import build_report, render_csv, render_text

    settings = Settings.from_env()
    if args.since is not None and args.since < 0:
        print("--since attend un nombre de jours positif, ex. --since 30", file=sys.stderr)
        return 2
    path = settings.question_log_path
    if not path.exists():
        print(
            f"Aucun journal de questions à {path} : le bot n'a encore rien enregistré ici "
            "(vérifiez QUESTION_LOG_PATH).",
            file=sys.stderr,
        )
    knowledge, _ = check_knowledge(settings.knowledge_dir)
    log = QuestionLog(path)
    try:
        log.purge(settings.retention_days)
        report = build_report(log.entries(since_days=args.since))
    finally:
        log.close()
    print(render_csv(report) if args.csv else render_text(report, knowledge))
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    from bot.staff.flyers import city_name, write_flyers
    from bot.staff.links import write_links

    knowledge = _load(_knowledge_dir(args))
    args.theme = args.theme.upper() if args.theme else None  # « t1 » is the theme T1
    if args.theme is not None and knowledge.theme(args.theme) is None:
        ids = ", ".join(t.id for t in knowledge.themes)
        print(f"Thématique inconnue : {args.theme} (au choix : {ids}).", file=sys.stderr)
        return 2
    username = args.username.lstrip("@")
    if not re.fullmatch(r"[A-Za-z0-9_]{5,32}", username):
        print(
            "Nom de bot invalide : 5 à 32 caractères, lettres, chiffres ou _, sans @.",
            file=sys.stderr,
        )
        return 2
    result = write_links(knowledge, username, args.out)
    themes = sum(1 for item in result.items if item.slug.startswith("th_"))
    print(
        f"{len(result.items)} liens ({themes} thématiques, {len(result.items) - themes} "
        f"objectifs) avec leurs QR codes (SVG et PNG) dans {result.out_dir / 'qr'}"
    )
    flyers = write_flyers(
        knowledge,
        username,
        args.out,
        page_format=args.format,
        theme_id=args.theme,
        city=city_name(_knowledge_dir(args)),
    )
    print(f"Flyers à imprimer ({len(flyers.flyers)}, {args.format.upper()}) : {flyers.path}")
    print(f"Page pour les écrans : {result.html_path}")
    print(f"Tableau des liens : {result.csv_path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="Assistant du contrat de ville.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("check", help="vérifier les fichiers de connaissances")
    s.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=None,
        help="dossier à vérifier (par défaut KNOWLEDGE_DIR, sinon knowledge/)",
    )
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("ask", help="poser une question (ou plusieurs en --json sur stdin)")
    s.add_argument("question", nargs="*")
    s.add_argument("--json", action="store_true", help="une ligne JSON par question")
    s.add_argument("--knowledge", type=Path)
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("chat", help="discuter avec l'assistant dans le terminal")
    s.add_argument("--knowledge", type=Path)
    s.set_defaults(func=cmd_chat)

    s = sub.add_parser("eval", help="mesurer le matcher sur un fichier de questions")
    s.add_argument("file", type=Path)
    s.add_argument("--knowledge", type=Path)
    s.add_argument("--min-top1", type=float)
    s.add_argument("--min-top3", type=float)
    s.add_argument("--max-unknown", type=float)
    s.add_argument("--min-rejected", type=float)
    s.add_argument("--quiet", action="store_true", help="ne pas lister les questions manquées")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("bench", help="mesurer vitesse et mémoire du matcher")
    s.add_argument("--knowledge", type=Path)
    s.add_argument("--questions", type=Path, default=None)
    s.add_argument("--scale", type=int, default=10, help="taille de la connaissance synthétique")
    s.set_defaults(func=cmd_bench)

    s = sub.add_parser("run", help="lancer le bot Telegram")
    mode = s.add_mutually_exclusive_group()
    mode.add_argument(
        "--webhook",
        dest="mode",
        action="store_const",
        const="webhook",
        help="forcer le mode webhook (Procfile web:)",
    )
    mode.add_argument(
        "--polling",
        dest="mode",
        action="store_const",
        const="polling",
        help="forcer le mode polling (Procfile worker:)",
    )
    s.add_argument("--knowledge", type=Path)
    s.set_defaults(func=cmd_run, mode=None)
    s = sub.add_parser("start", help="le bot Telegram si un jeton est configuré, sinon le chat")
    s.add_argument("--knowledge", type=Path)
    s.set_defaults(func=cmd_start)

    s = sub.add_parser("report", help="ce que les habitants ont demandé")
    s.add_argument("--since", type=int, default=None, help="seulement les N derniers jours")
    s.add_argument("--csv", action="store_true")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("links", help="liens profonds et QR codes pour les affiches")
    s.add_argument("--username", required=True, help="nom du bot, sans @")
    s.add_argument("--out", type=Path, default=Path("liens"))
    s.add_argument("--knowledge", type=Path)
    s.add_argument("--format", choices=("a4", "a5"), default="a4", help="a5 : deux par page A4")
    s.add_argument("--theme", metavar="ID", help="seulement le flyer de cette thématique")
    s.set_defaults(func=cmd_links)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):
        # `python -m bot check | head` ends quietly, as command-line tools do.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        from dotenv import find_dotenv, load_dotenv
    except ImportError:  # pragma: no cover - optional at run time
        pass
    else:
        # The .env of the directory the command runs from (then its parents).
        load_dotenv(find_dotenv(usecwd=True))
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as exc:
        print(f"Réglage invalide : {exc}", file=sys.stderr)
        return 2
