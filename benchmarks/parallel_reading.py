"""Parallel reading: eventsift's reading stages at 1 and N worker processes against bare spaCy with the
same number of processes, start-up, and memory over a long run, all in one run of this script.

Texts: the real articles of benchmarks/throughput.py (../shared/eval, read at run time). Each
measurement is a fresh child process, timed from before its imports (model, gazetteer and worker
start-up included), alternated over rounds so that machine noise hits every kind alike:
  - spaCy at w processes: ``spacy.load(model).pipe(texts, n_process=w)``;
  - eventsift at w workers: the reading stages through the pipeline runner with ``workers=w`` (the
    same path as ``eventsift extract -j w``).
Memory is the sum of the resident sets of the child and all its descendants (the workers), sampled
from /proc every 0.2 s; its peak is reported. Start-up: one one-line article, from process start to
its events. The long run reads ``--long`` articles (the corpus cycled when it holds fewer) at the
largest worker count and reports the summed memory after the first 1,000 articles and at the end.

    python benchmarks/parallel_reading.py [--limit N] [--workers 1 2] [--rounds R] [--long M] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from report import heading, machine, publish
from throughput import load_texts

ROOT = Path(__file__).resolve().parent.parent
_PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and every process under it, summed, in MB (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
                total += int(statm.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total / (1024 * 1024)


class PeakSampler:
    """A thread sampling this process tree's summed memory; ``peak`` is the largest seen."""

    def __init__(self, every: float = 0.2) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(every,), daemon=True)
        self._thread.start()

    def _loop(self, every: float) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mb(os.getpid()))
            self._stop.wait(every)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return max(self.peak, tree_rss_mb(os.getpid()))


def _articles(texts: list[str]) -> list:
    from eventsift.records import Article

    return [Article(id=f"a{i}", source_kind="text", raw_text=t) for i, t in enumerate(texts)]


def run_spacy(texts: list[str], workers: int) -> dict:
    import spacy

    from eventsift.settings import Options

    nlp = spacy.load(Options().spacy_model)
    for _ in nlp.pipe(texts, batch_size=32, n_process=workers):
        pass
    return {}


def run_eventsift(texts: list[str], workers: int, marks: tuple[int, ...] = ()) -> dict:
    from eventsift.pipeline import Runner, reading_stages
    from eventsift.settings import Options

    at: dict[str, float] = {}
    runner = Runner(reading_stages(), Options(workers=workers))
    for done, _ in enumerate(runner.run(_articles(texts)), start=1):
        if done in marks:
            at[str(done)] = tree_rss_mb(os.getpid())
            print(f"[{time.strftime('%H:%M:%S')}] {done:,} articles: {at[str(done)]:.0f} MB", file=sys.stderr, flush=True)
    return {"rss_at": at}


def child(kind: str, workers: int, limit: int, count: int) -> None:
    texts = load_texts(limit)
    if kind == "startup":
        texts = ["Rebels attacked a police post in Kidal on Monday, the army said."]
    elif count:
        texts = [texts[i % len(texts)] for i in range(count)]
    started = time.perf_counter()  # before the imports: model, gazetteer and workers load inside
    sampler = PeakSampler()
    marks = (*range(1000, len(texts), 1000), len(texts)) if count else ()  # the memory curve, every 1,000
    extra = run_spacy(texts, workers) if kind == "spacy" else run_eventsift(texts, workers, marks)
    seconds = time.perf_counter() - started
    print(json.dumps({"kind": kind, "workers": workers, "seconds": seconds, "peak_mb": sampler.stop(),
                      "texts": len(texts), "words": sum(len(t.split()) for t in texts), **extra}))


def measure(kind: str, workers: int, limit: int, count: int = 0) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--child-workers", str(workers), "--limit", str(limit),
               "--count", str(count)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)  # progress on stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300, help="articles for the speed runs (default 300)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="process counts (default 1 2)")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds; the fastest of each is kept")
    parser.add_argument("--long", type=int, default=20_000, help="articles of the memory run (0: none)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--child", choices=["spacy", "eventsift", "startup"], help=argparse.SUPPRESS)
    parser.add_argument("--child-workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.child_workers, args.limit, args.count)
        return 0
    if not load_texts(1):
        print("skipped: no articles under ../shared/eval", file=sys.stderr)
        return 0
    runs: dict[tuple[str, int], list[dict]] = {}
    for _ in range(args.rounds):
        for workers in args.workers:
            for kind in ("spacy", "eventsift", "startup"):
                runs.setdefault((kind, workers), []).append(measure(kind, workers, args.limit))
    best = {key: min(found, key=lambda r: r["seconds"]) for key, found in runs.items()}
    lines = _speed_lines(best, args) if args.rounds else [heading("parallel_reading"), _command(args), machine()]
    if args.long:
        lines.append(_memory_line(measure("eventsift", max(args.workers), 1000, args.long), max(args.workers)))
    publish(lines, write=not args.no_write)
    return 0


def _command(args: argparse.Namespace) -> str:
    return (f"- command: `python benchmarks/parallel_reading.py --limit {args.limit} --workers "
            f"{' '.join(map(str, args.workers))} --rounds {args.rounds} --long {args.long}`")


def _memory_line(long: dict, workers: int) -> str:
    """Summed memory after the first 1,000 articles, at the end, and the curve between."""
    at = {int(done): mb for done, mb in long["rss_at"].items()}
    early = min(1000, long["texts"])
    first, last = at[early], at[long["texts"]]
    curve = ", ".join(f"{mb:.0f} MB at {done:,}" for done, mb in sorted(at.items())
                      if done in {1000, 2000, 5000, 10_000, 15_000} or done == long["texts"])
    return (f"- memory over {long['texts']:,} articles at {workers} workers (the first 1,000 real articles cycled; "
            f"summed resident memory of the process tree): {first:.0f} MB after {early:,}, {last:.0f} MB at the end "
            f"({100 * (last - first) / first:+.1f}%), peak {long['peak_mb']:.0f} MB; {curve}; "
            f"{long['words'] / long['seconds']:,.0f} words/s")


def _speed_lines(best: dict[tuple[str, int], dict], args: argparse.Namespace) -> list[str]:
    one = min(args.workers)
    sample = best[("spacy", one)]
    lines = [
        heading("parallel_reading"),
        (f"{_command(args)} ({sample['texts']} real articles, {sample['words']:,} words; fastest of {args.rounds} alternating rounds; times from process "
         "start, loading included)"),
        machine(),
    ]
    for workers in args.workers:
        spacy_run, ours, start = best[("spacy", workers)], best[("eventsift", workers)], best[("startup", workers)]
        lines.append(
            f"- {workers} process(es): bare spaCy {spacy_run['seconds']:.1f} s (peak {spacy_run['peak_mb']:.0f} MB), "
            f"eventsift {ours['seconds']:.1f} s (peak {ours['peak_mb']:.0f} MB); ratio {spacy_run['seconds'] / ours['seconds']:.2f}; "
            f"start-up on a one-line article {start['seconds']:.1f} s (peak {start['peak_mb']:.0f} MB)")
    for workers in args.workers:
        if workers != one:
            spacy_gain = best[("spacy", one)]["seconds"] / best[("spacy", workers)]["seconds"]
            ours_gain = best[("eventsift", one)]["seconds"] / best[("eventsift", workers)]["seconds"]
            lines.append(f"- speed-up from {one} to {workers} processes: eventsift {ours_gain:.2f}x, bare spaCy {spacy_gain:.2f}x")
    return lines


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
