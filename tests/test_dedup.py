"""Syndicated copies share a group; independent reports of the same event do not."""

from __future__ import annotations

from pathlib import Path

from eventsift.clean.dedup import estimated_jaccard, minhash_of, shingles
from eventsift.settings import Options
from eventsift.store.store import open_store
from eventsift.workflow import ingest

from .conftest import SAMPLES

WIRE = (SAMPLES / "river-crossing-wire.txt").read_text(encoding="utf-8")

# A copy with its own headline, furniture and a few sentences edited by the republishing desk.
EDITED_COPY = (
    WIRE.replace("Militia fighters seize river crossing after overnight clashes", "Bridge falls to militia")
    .replace("Local officials say the fighting lasted until dawn\n\n", "")
    .replace("The army did not respond to a request for comment.", "The army has not commented publicly.")
    .replace("One shopkeeper said", "A shop owner told the outlet that")
    .replace("READ MORE: Ten recipes for a rainy weekend", "Related: Weather warning for the weekend")
)


def _ingest(tmp_path: Path, files: dict[str, str], options: Options) -> dict[str, str | None]:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with open_store(options.db) as store:
        summary, articles = ingest([str(folder)], store, options)
    assert summary.rejected == 0, summary.rejects
    return {Path(a.location or "").name: a.syndication_group for a in articles}


def test_copies_share_a_group_independent_report_does_not(tmp_path: Path, options: Options) -> None:
    groups = _ingest(
        tmp_path,
        {
            "a-wire.txt": WIRE,
            "b-copy.txt": (SAMPLES / "river-crossing-copy.txt").read_text(encoding="utf-8"),
            "c-edited.txt": EDITED_COPY,
            "d-independent.txt": (SAMPLES / "river-crossing-independent.txt").read_text(encoding="utf-8"),
        },
        options,
    )
    assert groups["a-wire.txt"] == groups["b-copy.txt"] == groups["c-edited.txt"]
    assert groups["d-independent.txt"] not in {groups["a-wire.txt"], None}


def test_grouping_is_incremental_across_runs(tmp_path: Path, options: Options) -> None:
    (tmp_path / "run1").mkdir()
    (tmp_path / "run2").mkdir()
    first = _ingest(tmp_path / "run1", {"wire.txt": WIRE}, options)
    second = _ingest(tmp_path / "run2", {"copy.txt": EDITED_COPY}, options)
    assert second["copy.txt"] == first["wire.txt"]


def test_similarity_estimates_are_sane() -> None:
    body_a = " ".join(WIRE.split("\n\n")[2:6])
    body_b = " ".join(EDITED_COPY.split("\n\n")[1:5])
    other = (SAMPLES / "river-crossing-independent.txt").read_text(encoding="utf-8")
    a, b, c = (minhash_of(t, 128).tolist() for t in (body_a, body_b, other))
    exact = len(shingles(body_a) & shingles(body_b)) / len(shingles(body_a) | shingles(body_b))
    assert abs(estimated_jaccard(a, b) - exact) < 0.15
    assert estimated_jaccard(a, c) < 0.2
