"""CI-sized soak test: the code of ``python -m tests.load`` on 1,000 updates (100 residents ×
10), with 5 % of the answering calls failing (429, 500, dropped connections, client timeouts
after delivery, 403 blocked), three dropped getUpdates answers, and two good and two broken
knowledge reloads in the middle. The bot runs in its own process, as in production.
"""

from __future__ import annotations

import pytest

from tests.load import LoadConfig, run_load, summary

MB = 1024 * 1024

# PTB itself reads the deprecated int `retry_after` when it builds a RetryAfter error.
pytestmark = pytest.mark.filterwarnings("ignore:.*`retry_after`:DeprecationWarning")


async def test_soak_with_faults_and_reloads() -> None:
    config = LoadConfig(residents=100, messages=10, faults=0.05, reloads=4, seed=7)
    report = await run_load(config)
    # Captured: pytest shows the table (with the bot's logged errors, such as the injected
    # getUpdates drops) only when an assertion below fails, so a green run stays calm.
    print(summary(report))

    # Every update answered; only a resident who "blocked" the bot (403) may go without.
    assert report.updates == 1000
    assert report.lost == 0, report.lost_examples
    assert report.answered + report.refused == report.updates
    assert report.refused <= report.faults_by_kind.get("Blocked", 0)

    # The faults really happened, of every kind.
    assert set(report.faults_by_kind) >= {"RetryAfter", "ServerError", "Drop", "Timeout"}
    assert sum(report.faults_by_kind.values()) >= 30

    # A duplicate only follows a delivery the bot could not see (dropped or timed out).
    assert report.duplicates <= report.duplicate_bound

    # No exception escaped: none reached the error handler, no asyncio task died, the bot
    # process stopped cleanly.
    assert report.bot_exit_code == 0
    assert report.bot["handler_errors"] == 0, report.bot["examples"]
    assert report.bot["loop_exceptions"] == 0, report.bot["examples"]
    assert report.driver_exceptions == []

    # Two good reloads were taken, two broken files refused, no answer mixed two versions.
    assert [r["good"] for r in report.reloads] == [True, False, True, False]
    assert not report.reload_problems, report.reload_problems
    assert report.inconsistent == 0, report.inconsistent_examples

    # Memory stays bounded. The bot ready to answer holds ~95 MB (`python -m bot bench`: the
    # Telegram stack, numpy, the two learned models, the France Services list); a reload holds
    # two snapshots for a moment, and 1,000 updates fill the per-word caches.
    assert report.bot["rss_peak_sampled"] < 200 * MB
    assert report.bot["rss_end"] - report.bot["rss_ready"] < 50 * MB
    assert report.ok
