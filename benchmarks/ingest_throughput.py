"""Throughput of eventsift's reading stages against bare trafilatura, in one run, on the same pages.

Reads the real news pages of ../shared/eval/article-extraction (HTML, gzip), then times
  - baseline: bare ``trafilatura.extract(html)`` on each page;
  - eventsift: the reading stages (decode, extraction, cleaning, language, fingerprint) on each page;
and reports pages and words per second of each, their ratio, and peak memory. Results are appended
to benchmarks/RESULTS.md with the command and machine. Run: ``python benchmarks/ingest_throughput.py``.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import sys
import time
from pathlib import Path

import trafilatura
from report import heading, machine, publish

from eventsift.pipeline import read_article
from eventsift.records import Article, content_hash
from eventsift.settings import Options

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "eval" / "article-extraction" / "html"


def load_pages(limit: int | None) -> list[bytes]:
    paths = sorted(DATA.glob("*.html.gz"))[:limit]
    return [gzip.decompress(p.read_bytes()) for p in paths]


def time_baseline(pages: list[bytes]) -> tuple[float, int]:
    start, words = time.perf_counter(), 0
    for page in pages:
        words += len((trafilatura.extract(page) or "").split())
    return time.perf_counter() - start, words


def time_eventsift(pages: list[bytes], options: Options) -> tuple[float, int]:
    from eventsift.ingest.html import decode_html

    start, words = time.perf_counter(), 0
    for page in pages:
        html, _ = decode_html(page)
        article = read_article(Article(id=content_hash(html), source_kind="html", raw_html=html), options,
                               until="fingerprint")  # the ingest side: decode, extract, clean, language
        words += len(article.body.split())
    return time.perf_counter() - start, words


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="pages to use (default all)")
    parser.add_argument("--repeat", type=int, default=3, help="alternating rounds; the best of each is kept")
    parser.add_argument("--no-write", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} not found", file=sys.stderr)
        return 0
    pages = load_pages(args.limit)
    options = Options()
    time_eventsift(pages[:3], options)  # warm caches and lazy imports on both sides
    time_baseline(pages[:3])
    base_runs, ours_runs = [], []
    for _ in range(args.repeat):  # alternate so that machine noise hits both alike
        base_runs.append(time_baseline(pages))
        ours_runs.append(time_eventsift(pages, options))
    base_s, base_words = min(base_runs)
    ours_s, ours_words = min(ours_runs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        heading("ingest_throughput"),
        (f"- command: `python benchmarks/ingest_throughput.py{' --limit ' + str(args.limit) if args.limit else ''}`"
        f" ({len(pages)} pages, best of {args.repeat} alternating rounds)"),
        machine(),
        f"- bare trafilatura: {len(pages) / base_s:.1f} pages/s, {base_words / base_s:,.0f} words/s",
        f"- eventsift reading stages: {len(pages) / ours_s:.1f} pages/s, {ours_words / ours_s:,.0f} words/s",
        f"- ratio (eventsift pages/s over trafilatura pages/s): {base_s / ours_s:.2f}",
        f"- peak memory (max RSS of the process): {peak_mb:.0f} MB",
    ]
    publish(lines, write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
