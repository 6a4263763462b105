"""The gazetteer: name normalisation, area centres, and queries on the built file (built once per
machine in the user cache, as `make install` does; the first run of this module may take a minute)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from eventsift.places.find import distance_km
from eventsift.places.gazetteer import (
    Gazetteer,
    default_gazetteer_path,
    get_gazetteer,
    is_built,
    normalize_name,
)
from eventsift.places.gazetteer_build import ensure_gazetteer
from eventsift.places.gazetteer_points import hull_centre


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


@pytest.mark.parametrize(
    ("raw", "key"),
    [("U.S.", "us"), ("US", "us"), ("the Netherlands", "netherlands"), ("Rostov-on-Don", "rostov on don"),
     ("Kyiv’s", "kyiv's"), ("São Tomé", "sao tome"), ("  Belgorod   region ", "belgorod region"),
     ("Белгород", "белгород")],
)
def test_normalized_names(raw: str, key: str) -> None:
    assert normalize_name(raw) == key


def test_cache_path_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSIFT_CACHE", str(tmp_path))
    assert default_gazetteer_path().parent == tmp_path
    assert default_gazetteer_path().name.startswith("gazetteer-")


def test_a_stray_file_is_not_taken_for_a_gazetteer(tmp_path: Path) -> None:
    stray = tmp_path / "gazetteer.sqlite"
    stray.write_bytes(b"not a database")
    assert not is_built(stray)
    assert not is_built(tmp_path / "missing.sqlite")


def test_hull_centre_is_the_middle_of_the_area_not_of_the_crowd() -> None:
    # Many towns in one corner of a 10x10 degree square, one in each other corner.
    crowd = [(0.1 * i, 0.1 * i) for i in range(50)]
    corners = [(0.0, 10.0), (10.0, 0.0), (10.0, 10.0)]
    lat, lon = hull_centre(crowd + corners) or (0.0, 0.0)
    assert lat == pytest.approx(5.0, abs=0.01) and lon == pytest.approx(5.0, abs=0.01)


def test_hull_centre_across_the_antimeridian() -> None:
    _lat, lon = hull_centre([(60.0, 179.0), (62.0, -179.0), (64.0, 179.5)]) or (0.0, 0.0)
    assert abs(lon) > 178  # near 180, not near 0


def test_built_once_and_read_only(gaz: Gazetteer) -> None:
    path = ensure_gazetteer(gaz.path)
    before = path.stat().st_mtime
    assert ensure_gazetteer(gaz.path).stat().st_mtime == before  # not rebuilt
    with pytest.raises(sqlite3.OperationalError):
        gaz._conn.execute("DELETE FROM place")


def test_sizes(gaz: Gazetteer) -> None:
    stats = gaz.stats()
    assert stats["city"] > 200_000  # cities500
    assert stats["country"] > 240
    assert stats["admin1"] > 3_000
    assert stats["names"] > 500_000


def test_country_names_and_short_forms(gaz: Gazetteer) -> None:
    for name in ("Russia", "Russian Federation", "the Russian Federation"):
        assert any(e.kind == "country" and e.country == "RU" for e in gaz.lookup(name)), name
    assert any(e.kind == "country" and e.country == "GB" for e in gaz.lookup("UK"))
    assert any(e.kind == "country" and e.country == "US" for e in gaz.lookup("U.S."))
    assert any(e.kind == "country" and e.country == "CD" for e in gaz.lookup("DRC"))


def test_subdivisions_carry_iso_codes_and_short_names(gaz: Gazetteer) -> None:
    oblast = gaz.admin1("RU-BEL")
    assert oblast is not None and oblast.name == "Belgorod Oblast" and oblast.country == "RU"
    assert oblast.lat is not None and oblast.lon is not None
    assert distance_km(oblast.lat, oblast.lon, 50.7, 37.2) < 120
    # "Belgorod" is the oblast's short name (a stem), and the town's own name.
    kinds = {(e.kind, e.match) for e in gaz.lookup("Belgorod") if e.admin1 == "RU-BEL"}
    assert ("admin1", "stem") in kinds and ("city", "name") in kinds
    assert any(e.admin1 == "AU-NSW" for e in gaz.lookup("NSW"))


def test_towns_know_their_subdivision(gaz: Gazetteer) -> None:
    kharkiv = max(gaz.lookup("Kharkiv"), key=lambda e: e.population if e.kind == "city" else 0)
    assert (kharkiv.kind, kharkiv.country, kharkiv.admin1) == ("city", "UA", "UA-63")
    assert any(e.kind == "city" and e.country == "UA" for e in gaz.lookup("Київ") + gaz.lookup("Kiev"))


def test_regions_of_countries(gaz: Gazetteer) -> None:
    west_africa = [e for e in gaz.lookup("West Africa") if e.kind == "macroregion"]
    assert west_africa and west_africa[0].lat is not None and 0 < west_africa[0].lat < 20
    assert not [e for e in gaz.lookup("South Africa") if e.kind == "macroregion"]  # the country's name


def test_country_names_without_the_inner_article(gaz: Gazetteer) -> None:
    assert any(e.kind == "country" and e.country == "CD" for e in gaz.lookup("Democratic Republic of Congo"))


def test_subdivisions_sharing_a_name_make_a_region(gaz: Gazetteer) -> None:
    # North, South, West, East and Central Darfur: "Darfur" is their region, a stem only.
    darfur = [e for e in gaz.lookup("Darfur") if e.country == "SD"]
    assert darfur and darfur[0].match == "stem" and darfur[0].lat is not None
    assert distance_km(darfur[0].lat, darfur[0].lon or 0.0, 13.0, 24.5) < 161
