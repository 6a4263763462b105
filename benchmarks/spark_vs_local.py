"""Spark on ``local[2]`` against the local runner with ``-j 2``, on the same real articles, in one run.

Texts: the real news articles benchmarks/throughput.py reads from ../shared/eval (PolNeAR article
texts, then the article-extraction gold bodies), written once as a JSONL corpus to a temporary folder.
Two commands, each a fresh process timed end to end (start-up, model and gazetteer loading, reading,
grouping copies, writing), alternated over rounds so machine noise hits both alike:
  - local: ``eventsift extract --jsonl CORPUS -j 2 -o OUT.jsonl``
  - spark: ``eventsift spark CORPUS OUT --master local[2]`` (which also merges stories)
Articles per second of each and their ratio go to benchmarks/RESULTS.md.

    python benchmarks/spark_vs_local.py [--limit N] [--rounds R] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import heading, machine, publish
from throughput import EVAL, load_texts

EVENTSIFT = str(Path(sys.executable).with_name("eventsift"))


def write_corpus(folder: Path, limit: int) -> tuple[Path, int]:
    path = folder / "corpus.jsonl"
    texts = load_texts(limit)
    with path.open("w", encoding="utf-8") as handle:
        for number, text in enumerate(texts):
            handle.write(json.dumps({"id": f"a{number:05d}", "text": text}, ensure_ascii=False) + "\n")
    return path, len(texts)


def commands(corpus: Path, folder: Path) -> dict[str, list[str]]:
    return {
        "local": [EVENTSIFT, "extract", "--jsonl", str(corpus), "-j", "2", "-o", str(folder / "local.jsonl")],
        "spark": [EVENTSIFT, "spark", str(corpus), str(folder / "spark-out"), "--master", "local[2]", "--overwrite"],
    }


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000, help="articles to use (default 1000)")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds; the fastest of each is kept")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if not (EVAL / "attribution").is_dir():
        print(f"skipped: {EVAL / 'attribution'} not found", file=sys.stderr)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="eventsift-spark-bench-"))
    try:
        corpus, count = write_corpus(folder, args.limit)
        runs: dict[str, list[float]] = {"local": [], "spark": []}
        for round_number in range(args.rounds):
            order = list(commands(corpus, folder).items())
            for name, command in order if round_number % 2 == 0 else reversed(order):
                runs[name].append(timed(command))
                print(f"{name}: {runs[name][-1]:.1f} s", file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    local, spark = min(runs["local"]), min(runs["spark"])
    lines = [
        heading("spark vs local"),
        (f"- command: `python benchmarks/spark_vs_local.py --limit {args.limit} --rounds {args.rounds}`"
         f" ({count} real articles; each run a fresh process timed end to end, start-up included;"
         f" fastest of {args.rounds} alternating round(s))"),
        machine(),
        f"- local runner, `eventsift extract --jsonl -j 2`: {count / local:.2f} articles/s ({local:.1f} s)",
        f"- Spark, `eventsift spark --master local[2]` (also merges stories): {count / spark:.2f} articles/s ({spark:.1f} s)",
        f"- ratio (Spark over local, articles/s): {local / spark:.2f}",
    ]
    publish(lines, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    raise SystemExit(main())
