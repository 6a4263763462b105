"""Throughput of the whole reading pipeline against bare spaCy, in one run, on the same real articles.

Texts: real news articles read from ../shared/eval at run time (PolNeAR article texts, then the
article-extraction gold bodies), at least 1,000. Two measurements, each in a fresh subprocess so that
peak memory is its own, alternated over rounds so machine noise hits both alike:
  - baseline: ``spacy.load(model).pipe(texts)`` with the same spaCy pipeline eventsift loads;
  - eventsift: every reading stage (ingest, clean, language, fingerprint, nlp, places, actors, times,
    quotes, events) through the pipeline runner, in one process.
Words per second of each, their ratio, the ratio with loading included (each child timed from before
its imports) and each one's peak memory go to benchmarks/RESULTS.md.

    python benchmarks/throughput.py [--limit N] [--rounds R] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from report import heading, machine, publish

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def load_texts(limit: int) -> list[str]:
    texts: list[str] = []
    for split in ("train", "dev"):
        folder = EVAL / "attribution" / split / "text"
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))]
    truth = EVAL / "article-extraction" / "ground-truth.json"
    if truth.exists():
        texts += [page["articleBody"] for _, page in sorted(json.loads(truth.read_text(encoding="utf-8")).items())]
    return [t for t in texts if t.strip()][:limit]


def run_baseline(texts: list[str]) -> float:
    import spacy

    from eventsift.settings import Options

    nlp = spacy.load(Options().spacy_model)
    list(nlp.pipe(texts[:5]))  # warm up
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return time.perf_counter() - start


def run_eventsift(texts: list[str]) -> float:
    from eventsift.pipeline import Runner, reading_stages
    from eventsift.records import Article, content_hash
    from eventsift.settings import Options

    options = Options(batch_size=32)

    def articles(chunk: list[str]) -> list[Article]:
        return [Article(id=content_hash(t), source_kind="text", raw_text=t) for t in chunk]

    list(Runner(reading_stages(), options).run(articles(texts[:5])))  # warm up: models, gazetteer
    start = time.perf_counter()
    runner = Runner(reading_stages(), options)
    for _ in runner.run(articles(texts)):
        pass
    return time.perf_counter() - start


def child(kind: str, limit: int) -> None:
    texts = load_texts(limit)
    started = time.perf_counter()  # before the imports, the model and the gazetteer are loaded
    seconds = run_baseline(texts) if kind == "baseline" else run_eventsift(texts)
    total = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    words = sum(len(t.split()) for t in texts)
    print(json.dumps({"kind": kind, "seconds": seconds, "total_seconds": total, "words": words,
                      "texts": len(texts), "peak_mb": peak_mb}))


def measure(kind: str, limit: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", kind, "--limit", str(limit)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000, help="articles to use (default 1000)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the fastest of each is kept")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--child", choices=["baseline", "eventsift"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.limit)
        return 0
    if not (EVAL / "attribution").is_dir():
        print(f"skipped: {EVAL / 'attribution'} not found", file=sys.stderr)
        return 0
    runs: dict[str, list[dict]] = {"baseline": [], "eventsift": []}
    for _ in range(args.rounds):
        for kind, measured in runs.items():
            measured.append(measure(kind, args.limit))
    base = min(runs["baseline"], key=lambda r: r["seconds"])
    ours = min(runs["eventsift"], key=lambda r: r["seconds"])
    base_wps, ours_wps = base["words"] / base["seconds"], ours["words"] / ours["seconds"]
    base_total = min(runs["baseline"], key=lambda r: r["total_seconds"])
    ours_total = min(runs["eventsift"], key=lambda r: r["total_seconds"])
    lines = [
        heading("throughput"),
        (f"- command: `python benchmarks/throughput.py --limit {args.limit} --rounds {args.rounds}`"
        f" ({base['texts']} real articles, {base['words']:,} words; fastest of {args.rounds} alternating rounds)"),
        machine() + ", one worker",
        f"- bare spaCy nlp.pipe: {base_wps:,.0f} words/s, peak memory {base['peak_mb']:.0f} MB",
        f"- eventsift reading pipeline: {ours_wps:,.0f} words/s, peak memory {ours['peak_mb']:.0f} MB",
        f"- ratio (eventsift over bare spaCy, words/s): {ours_wps / base_wps:.2f}",
        (f"- ratio with loading included (imports, model, gazetteer, warm-up): "
         f"{base_total['total_seconds'] / ours_total['total_seconds']:.2f} "
         f"({ours_total['total_seconds']:.1f} s against {base_total['total_seconds']:.1f} s)"),
    ]
    publish(lines, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
