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
from typing import TYPE_CHECKING, TextIO

from bot.assistant import Assistant, typed
from bot.knowledge.loader import check_knowledge
from bot.knowledge.models import Knowledge
from bot.knowledge.problems import KnowledgeError, Report
from bot.knowledge.remembered import checked_knowledge
from bot.matching.matcher import Matcher, MatchResult
from bot.settings import Settings, SettingsError
from bot.store import KnowledgeStore
from bot.terminal import chat, choices, render_outcome

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.staff.question_log import Entry
    from bot.staff.triage import Done, Item

# ``report --csv`` without a folder: the single CSV on standard output, as before.
STDOUT = Path("-")


def _print_report(report: Report, out: TextIO, warnings: bool = True) -> None:
    if report.errors:
        print("Erreurs :", file=out)
        for p in report.errors:
            print(f"  {p}", file=out)
    if report.warnings and warnings:
        print("Avertissements :", file=out)
        for p in report.warnings:
            print(f"  {p}", file=out)
    print(report.summary(), file=out)


def _load(directory: Path) -> Knowledge:
    knowledge, report = checked_knowledge(directory)
    if knowledge is None:
        _print_report(Report(report.root, report.errors), sys.stderr)
        print("Corrigez ces erreurs (python -m bot check) puis relancez.", file=sys.stderr)
        raise SystemExit(1)
    return knowledge


def _open_store(directory: Path, then: str, prepared: bool = False) -> KnowledgeStore:
    """The knowledge to answer from; on errors, print them and what to do ``then``, and exit.
    ``prepared``: for a process that answers many messages (see :class:`KnowledgeStore`)."""
    try:
        return KnowledgeStore(directory, prepared)
    except KnowledgeError as exc:
        _print_report(Report(exc.report.root, exc.report.errors), sys.stderr)
        print(then, file=sys.stderr)
        raise SystemExit(1) from None


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
            "danger_level": result.danger_level,
            "matches": matches,
        },
        ensure_ascii=False,
    )


def cmd_check(args: argparse.Namespace) -> int:
    from bot.matching.selfcheck import check_examples

    root = Path(args.dir or Settings.from_env().knowledge_dir)
    knowledge, report = check_knowledge(root)
    if knowledge is not None:
        check_examples(knowledge, root, report, strict=args.strict)
    # --quiet (`make test`): errors in full, warnings only counted in the summary line.
    _print_report(report, sys.stdout, warnings=not args.quiet)
    if args.quiet and report.warnings:
        print("(python -m bot check pour lire les avertissements)")
    return 0 if report.ok else 1


def cmd_ask(args: argparse.Namespace) -> int:
    store = _open_store(
        _knowledge_dir(args), "Corrigez ces erreurs (python -m bot check) puis relancez."
    )
    questions = [" ".join(args.question)] if args.question else None
    if args.json:
        knowledge, matcher = store.snapshot.knowledge, store.snapshot.matcher
        lines = questions if questions is not None else (line.rstrip("\n") for line in sys.stdin)
        for q in lines:
            if q.strip():
                print(json_line(matcher.match(q), knowledge), flush=True)
        return 0
    if questions is None:
        questions = [sys.stdin.read()]
    assistant = Assistant(store)  # nothing recorded: a staff member trying a question
    for q in questions:
        # As in `chat` and Telegram: « /urgence » or « /pres 93200 » is a command.
        outcome = assistant.respond(typed(q))
        print(render_outcome(outcome, choices(outcome)))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    store = _open_store(
        _knowledge_dir(args),
        "Corrigez ces erreurs (python -m bot check) puis relancez.",
        prepared=True,
    )
    question_log = None
    if not getattr(args, "no_log", False):
        from bot.staff.question_log import QuestionLog

        # Logged like the bot's questions, so `report` shows what was tried here.
        question_log = QuestionLog(settings.question_log_path)
    assistant = Assistant(store, question_log, retention_days=settings.retention_days)
    try:
        return chat(assistant, sys.stdin, sys.stdout)
    except KeyboardInterrupt:
        print()
        return 0
    finally:
        if question_log is not None:
            question_log.close()


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation import by_group, evaluate, format_groups, format_result, load_questions

    matcher = Matcher(_load(_knowledge_dir(args)))
    questions = load_questions(args.file)
    res = evaluate(matcher, questions)
    print(format_result(res, show_misses=not args.quiet))
    groups = by_group(matcher, questions)
    if groups:
        print(format_groups(groups))
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


def cmd_fit_decision(args: argparse.Namespace) -> int:
    from bot.matching.decision import WEIGHTS_FILE
    from bot.matching.fitting import fit

    fitted, summary = fit(Matcher(_load(_knowledge_dir(args))), args.files)
    print(summary)
    if args.write:
        WEIGHTS_FILE.write_text(fitted.to_json() + "\n", encoding="utf-8")
        print(f"écrit : {WEIGHTS_FILE}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from bot.matching import common_words, danger_model, language, topic_model
    from bot.matching.textmodel import model_for, ship

    knowledge = _load(_knowledge_dir(args))
    for kind, examples, c in (
        (danger_model.KIND, knowledge.danger_examples, danger_model.C),
        (topic_model.KIND, topic_model.topic_examples(knowledge), topic_model.C),
    ):
        print(f"modèle « {kind} » : {sum(map(len, examples.values()))} exemples…", flush=True)
        if args.ship:
            print(f"  écrit : {ship(kind, examples, c)}")
        else:
            model_for(kind, examples, c)
    if args.ship:
        print(f"mots courants du français (wordfreq) : écrit {common_words.build()}")
        print(f"mots courants d'autres langues (wordfreq) : écrit {language.build()}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bot.benchmark import run_benchmark

    print(run_benchmark(_knowledge_dir(args), args.questions, scale=args.scale))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if not settings.token:
        print(
            "TELEGRAM_BOT_TOKEN n'est pas défini : impossible de lancer le bot Telegram.",
            file=sys.stderr,
        )
        return 1
    mode = getattr(args, "mode", None)
    webhook = bool(settings.webhook_url) if mode is None else mode == "webhook"
    # Before the knowledge is loaded: a bad setting is reported at once (exit 1).
    settings.validate(webhook=webhook)
    knowledge_dir = getattr(args, "knowledge", None)
    if knowledge_dir is not None:
        settings = dataclasses.replace(settings, knowledge_dir=knowledge_dir)
    store = _open_store(
        settings.knowledge_dir,
        "Le bot ne démarre pas tant que ces erreurs ne sont pas corrigées (python -m bot check).",
        prepared=True,
    )
    # The Telegram channel lives in handlers/, beside this Telegram-free core: the one place
    # the core hands over to it, imported only when the bot is really started.
    from handlers.app import run_bot

    return run_bot(settings, webhook=webhook, store=store)


def cmd_start(args: argparse.Namespace) -> int:
    """The README's run command: Telegram when a token is configured, else the terminal chat."""
    if Settings.from_env().token:
        return cmd_run(args)
    print(
        "Pas de TELEGRAM_BOT_TOKEN : discussion dans le terminal avec les connaissances fournies.\n"
    )
    return cmd_chat(args)


def cmd_report(args: argparse.Namespace) -> int:
    from bot.staff.report import build_report, render_csv, render_text, write_csv_tables

    settings = Settings.from_env()
    if args.since is not None and args.since < 0:
        print("--since attend un nombre de jours positif, ex. --since 30", file=sys.stderr)
        return 2
    path = settings.question_log_path
    knowledge, _ = checked_knowledge(settings.knowledge_dir)
    entries = []
    if not path.exists():
        # Never create an empty database here: the bot creates it when it logs a question.
        print(
            f"Aucun journal de questions à {path} : le bot n'a encore rien enregistré ici "
            "(vérifiez QUESTION_LOG_PATH).",
            file=sys.stderr,
        )
    else:
        from bot.staff.question_log import QuestionLog

        log = QuestionLog(path)
        try:
            log.purge(settings.retention_days)
            entries = log.entries(since_days=args.since)
        finally:
            log.close()
    report = build_report(entries, out_of_scope=knowledge.out_of_scope if knowledge else ())
    if args.html is not None:
        from datetime import datetime

        from bot.staff.report_html import render_html

        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_html(report, knowledge, datetime.now()), encoding="utf-8")
        print(f"Page du rapport : {args.html} (ouvrez-la dans un navigateur)")
    if args.csv is not None and args.csv != STDOUT:
        for written in write_csv_tables(report, args.csv, knowledge):
            print(f"Tableau : {written}")
    if args.csv == STDOUT:
        print(render_csv(report))
    elif args.html is None and args.csv is None:
        print(render_text(report, knowledge))
    return 0


def _triage_entries(settings: Settings) -> list[Entry]:
    """The logged questions, without creating a database when there is none yet."""
    path = settings.question_log_path
    if not path.exists():
        print(
            f"Aucun journal de questions à {path} : rien à trier (vérifiez QUESTION_LOG_PATH).",
            file=sys.stderr,
        )
        return []
    from bot.staff.question_log import QuestionLog

    with QuestionLog(path) as log:
        return log.entries()


def cmd_triage(args: argparse.Namespace) -> int:
    import getpass

    from bot.staff import triage

    settings = Settings.from_env()
    directory = _knowledge_dir(args)
    who = args.staff or f"terminal:{getpass.getuser()}"
    store = _open_store(
        directory,
        "Tri impossible tant que ces erreurs ne sont pas corrigées : rien n'a été modifié.",
    )

    def reloaded(question: str, target: str) -> str:
        report = store.reload()
        if not report.ok:  # pragma: no cover - the edit was checked before it was written
            return "❌ Rechargement refusé : " + report.summary()
        return triage.verdict(store.snapshot.matcher, question, target)[1]

    try:
        if args.undo:
            done = triage.undo(directory, store.snapshot.knowledge, who)
            print(
                f"↩️ Annulé : « {done.action.question} » retiré de {done.action.file} "
                f"(ligne {done.action.line}). Vérification : {done.checked}."
            )
            store.reload()
            return 0
        journal = triage.Journal.of(directory)
        items = triage.queue(_triage_entries(settings), store.snapshot.matcher, journal)
        if args.assign:
            wanted, target = args.assign
            item = triage.find(items, wanted)
            done = triage.assign(directory, store.snapshot.knowledge, item, target, who)
            message = reloaded(item.text, done.action.target)
            if args.json:
                print(
                    json.dumps(
                        {
                            "ok": True,
                            "question": item.text,
                            "target": done.action.target,
                            "file": done.action.file,
                            "line": done.action.line,
                            "answered": message.startswith("✅"),
                            "message": message,
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                print(_added(done))
                print(message)
            return 0
        if args.list:
            if args.json:
                print(json.dumps([i.as_json() for i in items], ensure_ascii=False, indent=2))
            else:
                _print_items(items)
            return 0
        return _triage_loop(items, directory, store, who, reloaded)
    except triage.TriageRefused as exc:
        if args.json:
            print(json.dumps({"ok": False, "message": exc.explain()}, ensure_ascii=False))
        else:
            print(exc.explain(), file=sys.stderr)
        return 1


def _added(done: Done) -> str:
    action = done.action
    where = "hors_sujet.yaml" if action.target == "hors-sujet" else f"l'objectif {action.target}"
    return (
        f"✔️ « {action.question} » ajouté à {where} ({action.file}, ligne {action.line}). "
        f"Vérification : {done.checked}."
    )


def _print_items(items: list[Item]) -> None:
    from bot.staff.triage import describe

    if not items:
        print("Rien à trier : toutes les questions ont une réponse. 🎉")
    for n, item in enumerate(items, start=1):
        print(f"[{item.id}] " + describe(item, n, len(items)))
        for c in item.candidates:
            print(f"   → {c.objective_id} — {c.text}")
        print()
    if items:
        print("Pour ranger une question : python -m bot triage --assign ID OBJECTIF|hors-sujet")


def _triage_loop(
    items: list[Item],
    directory: Path,
    store: KnowledgeStore,
    who: str,
    reloaded: Callable[[str, str], str],
) -> int:
    """The interactive triage: one question at a time, a number to choose."""
    from bot.staff import triage

    if not items:
        print("Rien à trier : toutes les questions ont une réponse. 🎉")
        return 0
    print("Tri des questions sans bonne réponse. Tapez le numéro de votre choix.\n")
    for n, item in enumerate(items, start=1):
        print(triage.describe(item, n, len(items)))
        for k, c in enumerate(item.candidates, start=1):
            print(f"  {k}. {c.objective_id} — {c.text}")
        print("  h. hors sujet   p. passer   a. annuler la dernière modification   q. quitter")
        while True:
            print("> ", end="", flush=True)
            line = sys.stdin.readline()
            choice = line.strip().lower()
            if not line or choice == "q":
                return 0
            try:
                if choice == "p":
                    triage.skip(directory, item, who)
                    break
                if choice == "a":
                    done = triage.undo(directory, store.snapshot.knowledge, who)
                    store.reload()
                    print(f"↩️ Annulé : « {done.action.question} » retiré de {done.action.file}.")
                    continue
                if choice == "h":
                    target = triage.OUT_OF_SCOPE
                elif choice.isdigit() and 1 <= int(choice) <= len(item.candidates):
                    target = item.candidates[int(choice) - 1].objective_id
                else:
                    print("Choix inconnu : un numéro de la liste, h, p, a ou q.")
                    continue
                done = triage.assign(directory, store.snapshot.knowledge, item, target, who)
                print(_added(done))
                print(reloaded(item.text, target))
                break
            except triage.TriageRefused as exc:
                print(exc.explain())
                continue
        print()
    print("Toutes les questions ont été vues.")
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


def cmd_localize(args: argparse.Namespace) -> int:
    """The commune's official contacts (France Services) and neighbourhoods, from open data."""
    from bot.localities.communes import directory
    from bot.localities.generate import localize

    knowledge_dir = _knowledge_dir(args)
    if not knowledge_dir.is_dir():
        print(f"Dossier de connaissances introuvable : {knowledge_dir}", file=sys.stderr)
        return 2
    places = directory()
    query = " ".join(args.commune.split())
    found = places.find(query)
    if found.commune is None:
        if found.candidates:
            print(f"« {query} » désigne plusieurs communes :", file=sys.stderr)
            for c in found.candidates:
                print(f"  {c.label}", file=sys.stderr)
            print(
                "Relancez avec le code INSEE de la bonne, par exemple : "
                f"python -m bot localize --commune {found.candidates[0].insee}",
                file=sys.stderr,
            )
            return 2
        print(
            f"Commune inconnue : « {query} ». Les données officielles connaissent les communes "
            "qui ont un espace France Services ou un quartier prioritaire ; donnez son code "
            "INSEE (5 caractères), un de ses codes postaux ou son nom exact.",
            file=sys.stderr,
        )
        if found.suggestions:
            names = ", ".join(c.label for c in found.suggestions)
            print(f"Vouliez-vous dire : {names} ?", file=sys.stderr)
        return 2
    done = localize(places, found.commune, knowledge_dir, explicit_dir=args.knowledge is not None)
    c = done.commune
    print(f"{c.label} : {len(c.quartiers)} quartier(s) prioritaire(s).")
    if done.nearest:
        print(
            f"Pas d'espace France Services dans la commune : les {len(done.points)} plus proches."
        )
    for p in done.points:
        print(f"  {p.name} — {p.full_address} — {p.phone}")
    print(f"Écrit : {done.path}")
    knowledge, report = check_knowledge(knowledge_dir)
    if knowledge is None:
        _print_report(Report(report.root, report.errors), sys.stderr)
        return 1
    print(f"Vérification : {report.summary()} (python -m bot check pour le détail)")
    return 0


def cmd_opendata(args: argparse.Namespace) -> int:
    from bot.localities.data import DATA_DIR
    from bot.localities.refresh import DATASET_API, RefreshError, refresh

    try:
        done = refresh(args.url or DATASET_API, args.dest or DATA_DIR)
    except RefreshError as exc:
        print(f"Instantané gardé tel quel : {exc}", file=sys.stderr)
        return 1
    print(
        f"Liste des France Services mise à jour : {done.rows} points (avant : {done.previous}), "
        f"données du {done.date}, depuis {done.url}"
    )
    print("Relancez python -m bot localize pour mettre à jour les contacts de la commune.")
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
    s.add_argument(
        "--strict",
        action="store_true",
        help="un exemple de question qui n'obtient pas sa réponse est une erreur",
    )
    s.add_argument(
        "--quiet", action="store_true", help="seulement les erreurs, et le nombre d'avertissements"
    )
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("ask", help="poser une question (ou plusieurs en --json sur stdin)")
    s.add_argument("question", nargs="*")
    s.add_argument("--json", action="store_true", help="une ligne JSON par question")
    s.add_argument("--knowledge", type=Path)
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("chat", help="discuter avec l'assistant dans le terminal")
    s.add_argument("--knowledge", type=Path)
    s.add_argument(
        "--no-log",
        action="store_true",
        help="ne pas enregistrer les questions dans QUESTION_LOG_PATH",
    )
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

    s = sub.add_parser(
        "fit-decision",
        help="(développeurs) ajuster la décision répondre / proposer / inconnu",
    )
    s.add_argument("files", type=Path, nargs="+")
    s.add_argument("--knowledge", type=Path)
    s.add_argument("--write", action="store_true", help="écrire bot/data/decision.json")
    s.set_defaults(func=cmd_fit_decision)

    s = sub.add_parser(
        "train",
        help="entraîner les modèles appris (danger, sujets) après une modification des exemples",
    )
    s.add_argument("--knowledge", type=Path)
    s.add_argument(
        "--ship",
        action="store_true",
        help="(développeurs) les livrer dans bot/data/",
    )
    s.set_defaults(func=cmd_train)

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
    s.add_argument(
        "--csv",
        type=Path,
        nargs="?",
        const=STDOUT,
        default=None,
        metavar="DOSSIER",
        help="un tableau CSV par sujet dans DOSSIER (sans DOSSIER : un seul CSV à l'écran)",
    )
    s.add_argument(
        "--html", type=Path, default=None, metavar="FICHIER", help="une page avec des graphiques"
    )
    s.set_defaults(func=cmd_report)

    s = sub.add_parser(
        "localize", help="contacts officiels de la commune (France Services) et ses quartiers"
    )
    s.add_argument("--commune", required=True, help="code INSEE, code postal ou nom")
    s.add_argument("--knowledge", type=Path, help="dossier de connaissances (knowledge/)")
    s.set_defaults(func=cmd_localize)

    s = sub.add_parser("opendata", help="données ouvertes livrées avec le bot")
    action = s.add_subparsers(dest="action", required=True)
    r = action.add_parser("refresh", help="télécharger la liste à jour des France Services")
    r.add_argument("--url", help="adresse à utiliser (par défaut celle de data.gouv.fr)")
    r.add_argument("--dest", type=Path, help="(tests) dossier des données à remplacer")
    r.set_defaults(func=cmd_opendata)

    s = sub.add_parser("triage", help="ranger les questions sans réponse (exemples ou hors sujet)")
    s.add_argument("--knowledge", type=Path)
    s.add_argument("--list", action="store_true", help="lister les questions à trier")
    s.add_argument("--json", action="store_true", help="sortie JSON (avec --list ou --assign)")
    s.add_argument(
        "--assign",
        nargs=2,
        metavar=("ID", "OBJECTIF"),
        help="ajouter la question ID aux exemples de OBJECTIF (ou « hors-sujet »)",
    )
    s.add_argument("--undo", action="store_true", help="annuler la dernière modification")
    s.add_argument("--staff", help="qui fait le tri (par défaut : terminal:UTILISATEUR)")
    s.set_defaults(func=cmd_triage)

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
        from dotenv import load_dotenv
    except ImportError:  # pragma: no cover - optional at run time
        pass
    else:
        # The .env of the directory the command runs from, never one of its parents: a
        # stray file higher up (a home folder, a shared checkout) must not set the token.
        dotenv = Path.cwd() / ".env"
        if dotenv.is_file():
            load_dotenv(dotenv)
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as exc:
        print(f"Réglage invalide : {exc}", file=sys.stderr)
        return 1
