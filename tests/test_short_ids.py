"""Short ids: the 10-character ids `eventsift articles` shows work in the API as they do in `show`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from eventsift.serve.api import create_app
from eventsift.store.store import open_store

from .livesrv import serve_app
from .querydata import seed

pytestmark = pytest.mark.network


def _get(base: str, path: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{base}{path}", params=params, timeout=30)


def _shortest_unique_prefix(key: str, others: list[str]) -> str:
    for size in range(1, len(key) + 1):
        if sum(o.startswith(key[:size]) for o in others) == 1:
            return key[:size]
    return key


def test_ten_character_ids_answer_in_the_api(live_server: str) -> None:
    events = _get(live_server, "/events", limit=200).json()["items"]
    event = next(e for e in events if e.get("story_id"))
    article_id = event["article_id"]
    assert len(article_id) > 10
    short = article_id[:10]
    assert _get(live_server, f"/articles/{short}").json()["id"] == article_id
    local = event["id"].rpartition(":")[2]
    assert _get(live_server, f"/events/{short}:{local}").json()["id"] == event["id"]
    stories = [s["id"] for s in _get(live_server, "/stories", limit=1000).json()["items"]]
    prefix = _shortest_unique_prefix(event["story_id"], stories)
    assert _get(live_server, f"/stories/{prefix}").json()["id"] == event["story_id"]
    assert _get(live_server, f"/articles/{short}zzzz").status_code == 404


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Hand-made ids that share prefixes: art0..art3, s-01.., art0:e1.."""
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('short-ids')) / 'seeded.db'}"
    with open_store(url) as store:
        seed(store)
    with serve_app(create_app(url)) as base:
        yield base


@pytest.mark.parametrize("path, matches", [("/articles/art", "art0, art1"), ("/stories/s-0", "s-01"),
                                           ("/events/art:e1", "art0")])
def test_an_ambiguous_prefix_is_a_400_naming_what_it_matches(seeded: str, path: str, matches: str) -> None:
    answer = _get(seeded, path)
    assert answer.status_code == 400
    assert "ambiguous" in answer.json()["error"] and matches in answer.json()["error"]


def test_an_exact_id_wins_over_longer_ids_it_begins(seeded: str) -> None:
    assert _get(seeded, "/articles/art1").json()["id"] == "art1"
    assert _get(seeded, "/events/art1:e1").json()["id"] == "art1:e1"
