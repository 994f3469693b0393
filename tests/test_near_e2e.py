"""End to end, « 📍 Près de chez moi »: the real application against the fake Bot API server
on 127.0.0.1. A shared location or a postal code gets the France Services near it, with
today's hours in Paris; live-location updates get no new answer; nothing of it is stored."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from bot.localities.communes import directory
from bot.localities.hours import today_hours
from tests.fake_botapi import DEFAULT_GROUP_CHAT_ID
from tests.harness import BotUnderTest, Sent

SAINT_DENIS_POSTE = (48.94259, 2.381631)  # France services La Poste de Saint-Denis (id 668)
POSTE_NAME = "France services La Poste de Saint-Denis"
SOURCE = "Source : ANCT – Liste des structures France Services, data.gouv.fr (01/08/2024)"


def today_line(bot: BotUnderTest, point_id: str) -> str:
    point = next(p for p in directory().data.points if p.id == point_id)
    day, hours = today_hours(point.hours, datetime.now(UTC))
    if not hours:
        return bot.text("pres_ferme")
    return bot.text("pres_aujourdhui").replace("{jour}", day).replace("{horaires}", hours)


async def share_location(
    bot: BotUnderTest, latitude: float, longitude: float, user_id: int = 42
) -> list[Sent]:
    before = bot.api.sent_count(user_id)
    bot.api.push(bot.api.location(user_id, latitude, longitude))
    await bot.api.wait_for_sent(before + 1, user_id, 5.0)
    await asyncio.sleep(0.1)
    return bot.sent(user_id)[before:]


async def test_a_shared_location_lists_the_nearest_first(running_bot: BotUnderTest) -> None:
    lat, lon = SAINT_DENIS_POSTE
    (reply,) = await share_location(running_bot, lat + 0.0004, lon + 0.0004)
    text = reply.text
    assert text.startswith(running_bot.text("pres_titre_position"))
    names = [line for line in text.splitlines() if line.startswith("• ")]
    assert len(names) == 3
    assert names[0].startswith(f"• {POSTE_NAME} — ") and "m : 01 58 34 34 27" in names[0]
    first = text[text.index(names[0]) : text.index(names[1])]
    assert today_line(running_bot, "668") in first
    assert "1 Square de l'Ile de France, Centre commercial, 93200 Saint-Denis" in first
    assert "openstreetmap.org/?mlat=48.94259&mlon=2.38163" in first
    assert SOURCE in text
    assert running_bot.question_log is not None
    assert running_bot.question_log.entries() == []  # a location is never stored


async def test_a_postal_code_works_the_same_way(running_bot: BotUnderTest) -> None:
    for message in ("93200", "/pres 93200"):
        (reply,) = await running_bot.ask(message)
        text = reply.text
        assert text.startswith(running_bot.text("pres_titre_code").replace("{code}", "93200"))
        names = [line for line in text.splitlines() if line.startswith("• ")]
        assert names[0] == f"• {POSTE_NAME} : 01 58 34 34 27"
        assert today_line(running_bot, "668") in text.split(names[1])[0]
        assert SOURCE in text
    assert running_bot.question_log is not None
    assert running_bot.question_log.entries() == []  # a postal code says where one lives


async def test_a_postal_code_without_a_point_gets_its_department(
    running_bot: BotUnderTest,
) -> None:
    (reply,) = await running_bot.ask("/pres 93999")
    assert "département (93)" in reply.text.splitlines()[0]
    assert "autre(s)" in reply.text


async def test_pres_without_a_postal_code_explains(running_bot: BotUnderTest) -> None:
    (reply,) = await running_bot.ask("/pres")
    assert reply.text == running_bot.text("pres_demande")
    (group,) = await running_bot.ask("/pres", group=True)
    assert group.text == running_bot.text("pres_demande_groupe")


async def test_live_location_updates_are_not_answered_again(running_bot: BotUnderTest) -> None:
    api = running_bot.api
    lat, lon = SAINT_DENIS_POSTE
    start = api.location(42, lat, lon)
    start["message"]["location"]["live_period"] = 900
    before = api.sent_count(42)
    api.push(start)
    await api.wait_for_sent(before + 1, 42, 5.0)
    for step in range(3):
        moved = dict(start["message"])
        moved["location"] = {"latitude": lat + step * 0.001, "longitude": lon, "live_period": 900}
        moved["edit_date"] = moved["date"] + step + 1
        api.push({"edited_message": moved})
    await asyncio.sleep(0.8)
    assert api.sent_count(42) == before + 1


async def test_no_location_answer_in_a_group(running_bot: BotUnderTest) -> None:
    api = running_bot.api
    api.push(api.location(42, *SAINT_DENIS_POSTE, chat_type="group"))
    await asyncio.sleep(0.5)
    assert api.sent_count(DEFAULT_GROUP_CHAT_ID) == 0


async def test_privacy_says_the_location_is_not_kept(running_bot: BotUnderTest) -> None:
    (reply,) = await running_bot.ask("/confidentialite")
    assert running_bot.text("pres_confidentialite") in reply.text


async def test_the_pres_command_is_registered(running_bot: BotUnderTest) -> None:
    (call,) = running_bot.api.calls_of("setMyCommands")
    commands = call.params["commands"]
    if isinstance(commands, str):
        commands = json.loads(commands)
    assert {"command": "pres", "description": running_bot.text("commande_pres")} in commands
