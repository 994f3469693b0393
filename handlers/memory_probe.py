"""``python -m handlers.memory_probe``: peak memory of a process holding what the running bot
holds (the Telegram stack imported, the knowledge loaded, the matcher built, one answer
given), printed in MB for ``python -m bot bench``. Lives on the Telegram side so that the
core never imports it."""

from __future__ import annotations

import re
from pathlib import Path

import handlers.app  # noqa: F401  (imported for its weight: the bot has it)
from bot.settings import Settings
from bot.store import KnowledgeStore


def main() -> None:
    store = KnowledgeStore(Settings.from_env().knowledge_dir, prepared=True)
    store.snapshot.matcher.match("je cherche du travail et mon fils sèche les cours")
    # VmHWM, not ru_maxrss: the latter still counts the parent's memory at fork time (the
    # bench process, when it holds a knowledge ten times larger).
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    found = re.search(r"VmHWM:\s+(\d+)", status)
    print(int(found.group(1)) / 1024 if found else float("nan"))


if __name__ == "__main__":
    main()
