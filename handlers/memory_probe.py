"""``python -m handlers.memory_probe``: peak memory of a process holding what the running bot
holds (the Telegram stack imported, the knowledge loaded, the matcher built, one answer
given), printed in MB for ``python -m bot bench``. Lives on the Telegram side so that the
core never imports it."""

from __future__ import annotations

import resource

import handlers.app  # noqa: F401  (imported for its weight: the bot has it)
from bot.settings import Settings
from bot.store import KnowledgeStore


def main() -> None:
    store = KnowledgeStore(Settings.from_env().knowledge_dir)
    store.snapshot.matcher.match("je cherche du travail et mon fils sèche les cours")
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


if __name__ == "__main__":
    main()
