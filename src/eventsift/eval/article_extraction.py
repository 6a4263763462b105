"""Eval set ``article-extraction``: article body text out of real news HTML.

Gold data: ``ground-truth.json`` (page id -> {articleBody, url}) and ``html/<id>.html.gz``, from the
scrapinghub article-extraction-benchmark (see the folder's SOURCE.md).

Systems, side by side on the same pages:
- ``eventsift``: the body the pipeline's real reading stages produce (ingest, then cleaning);
- ``trafilatura``: bare ``trafilatura.extract(html)`` with its defaults.

Metrics per system:
- ``precision``, ``recall``, ``f1``: the set's standard score, whitespace tokens compared as bags,
  each averaged over pages (f1 is the mean of per-page F1);
- ``shingle_precision``, ``shingle_recall``, ``shingle_f1``: the benchmark's own evaluate.py score
  (``\\w+`` 4-gram shingles, F1 of the averaged precision and recall), the one its published
  tables use, so numbers compare with them.
"""

from __future__ import annotations

import gzip
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, EventsiftError
from ..settings import Options
from .base import EvalSet, Scores, refused_input, register
from .scoring import PRF, macro_prf, mean, shingle_counts, token_prf

__all__ = ["SYSTEMS", "Page", "eventsift_body", "load_pages", "score_pages", "trafilatura_body"]

logger = logging.getLogger(__name__)

NAME = "article-extraction"


@dataclass(frozen=True)
class Page:
    """One gold page: where its HTML lies, its URL and the gold article body."""

    id: str
    url: str | None
    gold: str
    path: Path

    def html_bytes(self) -> bytes:
        with gzip.open(self.path, "rb") as handle:
            return handle.read()


def load_pages(folder: Path) -> dict[str, Page]:
    """The adapter: gold pages keyed by id (pages whose HTML file is missing are skipped, logged)."""
    truth_path = folder / "ground-truth.json"
    try:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{truth_path} not found: is {folder} the article-extraction folder?") from None
    pages: dict[str, Page] = {}
    for page_id, entry in truth.items():
        path = folder / "html" / f"{page_id}.html.gz"
        if not path.is_file():
            logger.warning("article-extraction: no HTML for %s, skipped", page_id)
            continue
        pages[page_id] = Page(page_id, entry.get("url"), entry.get("articleBody") or "", path)
    return pages


def eventsift_body(html: bytes, url: str | None, page_id: str, options: Options) -> str:
    """eventsift's body for one page, through the pipeline's real reading stages.

    The one place that knows how the pipeline is entered; adjust it when that changes. NoArticle and
    other input verdicts raise EventsiftError, which the scorer records as an empty body.
    """
    from ..ingest.html import decode_html
    from ..pipeline import read_article
    from ..records import Article

    text, _encoding = decode_html(html)
    article = Article(id=page_id, source_kind="html", raw_html=text, url=url)
    # Language detection may halt a non-English page; the body was set by cleaning before that.
    return read_article(article, options, until="clean").body  # the body is all this set scores


def trafilatura_body(html: bytes) -> str:
    """Bare trafilatura with its defaults, on the page decoded as the benchmark does (UTF-8)."""
    import trafilatura

    return trafilatura.extract(html.decode("utf-8", errors="replace")) or ""


SYSTEMS = {
    "eventsift": lambda page, html, options: eventsift_body(html, page.url, page.id, options),
    "trafilatura": lambda page, html, options: trafilatura_body(html),
}


def score_pages(pages: list[tuple[str, Any]], options: Options) -> Scores:
    """The scorer: each system's body for each page against the gold body."""
    tokens: dict[str, list[PRF]] = {system: [] for system in SYSTEMS}
    shingles: dict[str, list[tuple[float, float, float]]] = {system: [] for system in SYSTEMS}
    errors: dict[str, int] = {system: 0 for system in SYSTEMS}
    rows: list[dict[str, Any]] = []
    for page_id, page in pages:
        html = page.html_bytes()
        row: dict[str, Any] = {"id": page_id, "url": page.url}
        for system, read in SYSTEMS.items():
            try:
                body = read(page, html, options)
            except EventsiftError as exc:  # a refused page scores as empty; a stage crash raises EvalError
                row[f"{system}_error"] = refused_input(exc, NAME, page_id)
                logger.debug("%s read nothing from %s: %s", system, page_id, row[f"{system}_error"])
                errors[system] += 1
                body = ""
            prf = token_prf(body, page.gold)
            tokens[system].append(prf)
            shingles[system].append(shingle_counts(body, page.gold))
            row[system] = {"precision": prf.precision, "recall": prf.recall, "f1": prf.f1}
        rows.append(row)
    systems = {system: _metrics(tokens[system], shingles[system]) for system in SYSTEMS}
    return Scores(systems=systems, items=rows, notes={"empty_bodies_from_errors": errors})


def _metrics(tokens: list[PRF], shingles: list[tuple[float, float, float]]) -> dict[str, float]:
    shingle = macro_prf(shingles)
    return {
        "precision": mean(p.precision for p in tokens),
        "recall": mean(p.recall for p in tokens),
        "f1": mean(p.f1 for p in tokens),
        "shingle_precision": shingle.precision,
        "shingle_recall": shingle.recall,
        "shingle_f1": shingle.f1,
    }


EVAL_SET = register(EvalSet(NAME, "article body text out of real news HTML", load_pages, score_pages))
