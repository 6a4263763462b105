"""The geoparsing eval: the adapter on hand-made XML (GeoVirus offsets one too high, GeoWebNews
types), and the pinned sample of ../shared/eval/geoparsing against eval-baseline.json (slow; skipped
where the gold data is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventsift.eval import check_baseline, eval_names, load_baseline, run_eval
from eventsift.eval.geoparsing import load_documents

from .conftest import ROOT, SHARED

BASELINE = ROOT / "eval-baseline.json"
GEO_DATA = SHARED / "eval" / "geoparsing"

_GEOVIRUS = """<articles><article><source>x</source><text>Floods hit Kenya and Nairobi.</text><locations>
<location><name>Kenya</name><start>12</start><end>17</end><lat>1</lat><lon>38</lon><page>p</page></location>
<location><name>Nairobi</name><start>1</start><end>8</end><lat>-1.28</lat><lon>36.81</lon><page>p</page></location>
</locations></article></articles>"""

_GWN = """<articles><article file="0"><title>t</title><link>l</link><text>Irish fans in Dublin cheered.</text>
<toponyms>
<toponym><extractedName>Irish</extractedName><normalisedName>Ireland</normalisedName><type>Non_Literal_Modifier</type>
<modifierType>Adjective</modifierType><nonLocational>No</nonLocational><start>0</start><end>5</end>
<geonamesID>2963597</geonamesID><latitude>53</latitude><longitude>-8</longitude></toponym>
<toponym><extractedName>Dublin</extractedName><normalisedName>Dublin</normalisedName><type>Literal</type>
<modifierType/><nonLocational>No</nonLocational><start>14</start><end>20</end>
<geonamesID>2964574</geonamesID><latitude>53.33</latitude><longitude>-6.25</longitude></toponym>
</toponyms></article></articles>"""


def test_geoparsing_is_registered() -> None:
    assert "geoparsing" in eval_names()


def test_adapter_fixes_geovirus_offsets_and_reads_gwn_types(tmp_path: Path) -> None:
    (tmp_path / "GeoVirus.xml").write_text(_GEOVIRUS, encoding="utf-8")
    (tmp_path / "GeoWebNews.xml").write_text(_GWN, encoding="utf-8")
    docs = load_documents(tmp_path)
    assert sorted(docs) == ["0000-geovirus", "0000-gwn"]  # sorted ids alternate the corpora
    virus = docs["0000-geovirus"]
    assert [t.name for t in virus.toponyms] == ["Kenya"]  # Nairobi's offsets miss: dropped
    assert virus.text[virus.toponyms[0].start : virus.toponyms[0].end] == "Kenya"
    gwn = docs["0000-gwn"]
    irish, dublin = gwn.toponyms
    assert not gwn.is_target(irish) and gwn.is_neutral(irish)  # adjectival: neither asked nor held against
    assert gwn.is_target(dublin) and dublin.geonameid == 2964574


@pytest.mark.slow
def test_pinned_sample_meets_the_baseline() -> None:
    if not GEO_DATA.is_dir():
        pytest.skip(f"{GEO_DATA} not found: the geoparsing gold set lives in ../shared/eval")
    baseline = load_baseline(BASELINE)
    if "geoparsing" not in baseline:
        pytest.fail("eval-baseline.json has no geoparsing entry")
    report = run_eval("geoparsing", GEO_DATA, sample=baseline["geoparsing"]["sample"])
    assert report.n == baseline["geoparsing"]["sample"]
    assert check_baseline(report, baseline) == []
