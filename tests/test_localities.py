"""The shipped open data (France Services, QPV 2024): reading, finding a commune, the nearest
points, postal codes and opening hours."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.localities import hours
from bot.localities.communes import department_of, directory, distance_km, fold, is_postal_code
from bot.localities.data import DATA_DIR, load, read_sources
from bot.localities.generate import km

SAINT_DENIS_POSTE = (48.94259, 2.381631)  # France services La Poste de Saint-Denis (id 668)


def test_snapshots_ship_with_source_date_and_licence() -> None:
    sources = read_sources()
    assert "Licence Ouverte" in sources["licence"]
    for key in ("france-services", "qpv"):
        entry = sources[key]
        assert (DATA_DIR / entry["file"]).is_file()
        assert entry["credit"].startswith("ANCT") and "data.gouv.fr" in entry["credit"]
        assert entry["date"]
    data = load()
    assert len(data.points) == sources["france-services"]["rows"] == 2845
    assert len(data.qpv) == sources["qpv"]["rows"] == 824
    assert data.fs_source.date_fr == "01/08/2024"
    assert load() is data  # read once per file version


def test_points_are_clean() -> None:
    data = load()
    assert all(p.name == p.name.strip() and p.insee and p.phone is not None for p in data.points)
    assert not any("\xa0" in p.name for p in data.points)
    poste = next(p for p in data.points if p.id == "668")
    assert poste.full_address == "1 Square de l'Ile de France, Centre commercial, 93200 Saint-Denis"
    assert poste.hours[6] == ""  # no Sunday column: closed
    assert "mlat=48.94259" in poste.map_link


def test_commune_by_insee_postal_code_or_name() -> None:
    places = directory()
    saint_denis = places.find("93066").commune
    assert saint_denis is not None and saint_denis.name == "Saint-Denis"
    assert len(saint_denis.quartiers) == 10 and "Floréal Saussaie Allende" in saint_denis.quartiers
    assert {p.id for p in saint_denis.points} == {"668", "2852"}
    lille = places.find("Lille").commune
    assert lille is not None and lille.insee == "59350"
    assert places.find("59000").commune == lille == places.find(" lille ").commune
    # Arrondissements belong to their commune, as in the QPV list.
    paris = places.find("75018").commune
    assert paris is not None and paris.insee == "75056" and paris.quartiers
    assert places.find("Marseille 13e").commune == places.find("13055").commune
    assert places.find("2A004").commune is not None  # Ajaccio


def test_ambiguous_and_unknown_names() -> None:
    places = directory()
    found = places.find("Saint-Denis")
    assert found.commune is None
    assert {c.insee for c in found.candidates} == {"93066", "97411"}
    unknown = places.find("Lile")
    assert unknown.commune is None and not unknown.candidates
    assert [c.insee for c in unknown.suggestions][:1] == ["59350"]
    assert places.find("zzzz").suggestions == ()


def test_a_commune_named_only_with_its_neighbours_in_the_qpv_list() -> None:
    # « Omissy; Saint-Quentin »: Saint-Quentin is known from its France Services point.
    omissy = directory().find("Omissy").commune
    assert omissy is not None and omissy.insee == "02571" and not omissy.points


def test_nearest_points() -> None:
    places = directory()
    lat, lon = SAINT_DENIS_POSTE
    near = places.nearest(lat + 0.0005, lon)
    assert len(near) == 3
    assert near[0][0].id == "668" and near[0][1] < 0.1
    assert [d for _p, d in near] == sorted(d for _p, d in near)


def test_postal_code_then_department() -> None:
    places = directory()
    here, whole = places.by_postal_code("93200")
    assert not whole and {p.id for p in here} == {"668", "2852"}
    assert not here[0].mobile  # fixed points before the bus
    there, whole = places.by_postal_code("93999")
    assert whole and len(there) > 10 and all(p.department == "93" for p in there)
    assert department_of("20000") == "2A" and department_of("20200") == "2B"
    assert department_of("97400") == "974" and department_of("59000") == "59"
    assert is_postal_code("93200") and not is_postal_code("9320") and not is_postal_code("00123")


def test_distances() -> None:
    # Paris – Lille is about 204 km as the crow flies.
    assert 200 < distance_km(48.8566, 2.3522, 50.6292, 3.0573) < 210
    assert km(0.34) == "350 m" and km(1.234) == "1,2 km" and km(14.6) == "15 km"
    assert fold("St-Étienne-du-Rouvray") == fold("saint etienne du rouvray")


def test_hours_read_as_residents_read_them() -> None:
    assert hours.day_hours("09:00 - 12:00 / 13:30 - 17:00") == "9h-12h / 13h30-17h"
    assert hours.day_hours("") == ""
    week = ("09:00 - 12:00",) * 4 + ("09:00 - 12:00 / 14:00 - 16:00", "", "")
    assert hours.week_hours(week) == "lun.-jeu. 9h-12h ; ven. 9h-12h / 14h-16h"


@pytest.mark.parametrize(
    ("utc", "day"),
    [
        # Tuesday 23:30 UTC in summer is already Wednesday in Paris (UTC+2).
        (datetime(2024, 7, 2, 23, 30, tzinfo=UTC), "mercredi"),
        # Tuesday 22:30 UTC in winter is still Tuesday in Paris (UTC+1).
        (datetime(2024, 1, 2, 22, 30, tzinfo=UTC), "mardi"),
        (datetime(2024, 1, 2, 23, 30, tzinfo=UTC), "mercredi"),
    ],
)
def test_today_is_a_day_in_paris(utc: datetime, day: str, monkeypatch: pytest.MonkeyPatch) -> None:
    week = (*(f"0{i}:00 - 12:00" for i in range(1, 7)), "")
    name, _ = hours.today_hours(week, utc)
    assert name == day
    # The same answer without a time-zone database (the EU summer-time rule applied).
    monkeypatch.setattr(hours, "paris_zone", lambda: None)
    assert hours.today_hours(week, utc)[0] == day


def test_closed_on_sunday() -> None:
    sunday = datetime(2024, 8, 4, 10, tzinfo=UTC)
    assert hours.today_hours(("09:00 - 12:00",) * 6 + ("",), sunday) == ("dimanche", "")
