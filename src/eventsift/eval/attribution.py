"""Eval set ``attribution``: who said what, on PolNeAR (political news attribution, Newell et al. 2018).

Gold data (see the folder's SOURCE.md): ``<split>/text/<doc>.txt`` and ``<split>/attributions/
<doc>_<annotator>.ann``, BRAT standoff. T lines are Source, Cue and Content spans (character offsets,
``a b;c d`` for a span in pieces); E lines join them into one attribution (Content2 is a further piece
of the content; "Attribution-no-source" has no source). Discuss and Discard spans are not scored.

``--data`` may name the set's folder (the ``dev`` split is scored) or one split's folder, e.g.
``../shared/eval/attribution/train``. Where several annotators read one document, the annotation
whose file name sorts first is the gold one: deterministic, and each document counts once.

The system: the body is the gold text as it is (offsets must agree), parsed with ``nlp.pipe``, then
the quotes stage. Each quote becomes an attribution: quotes sharing one cue are one attribution with
a content in pieces ("“A,” she said. “B.”"), as PolNeAR annotates them, and so is a quote with no cue
that carries on the previous quote's speaker in the same paragraph. The paragraphs repeated from a
run-on quote are left out (the whole quote is scored).

Metrics (fractions, higher is better), for each role (source, cue, content):
- ``<role>_precision/recall/f1``: overlap match (a predicted span counts when it shares a character
  with a gold span of the same role, and the reverse for recall);
- ``<role>_exact_precision/recall/f1``: the same spans after trimming whitespace, punctuation and
  quote marks at the edges of each piece ("said:" is "said", "“A,”" is "A") must be equal.
And for whole attributions:
- ``pairing_accuracy``: of the gold attributions with a source whose content a prediction overlaps,
  the share where that prediction's speaker overlaps the gold source (speaker-to-content pairing);
- ``attribution_precision/recall/f1``: content overlaps and the source overlaps (or neither has one).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..records import Article, Quote
from ..settings import Options
from .base import EvalSet, Scores, register

__all__ = [
    "ROLES",
    "Attribution",
    "GoldDoc",
    "load_docs",
    "parse_ann",
    "predicted_attributions",
    "read_quotes",
    "score_docs",
    "score_predictions",
]

logger = logging.getLogger(__name__)

NAME = "attribution"
DEFAULT_SPLIT = "dev"
ROLES = ("source", "cue", "content")
HUMAN_AGREEMENT = 0.92  # PolNeAR's reported inter-annotator agreement on attributions
_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_TRIM = " \t\n\r.,;:!?\"'“”‘’«»()[]—–-"

Pieces = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Attribution:
    """One attribution: its source, cue and content, each as character spans in pieces (may be empty)."""

    source: Pieces = ()
    cue: Pieces = ()
    content: Pieces = ()

    def role(self, name: str) -> Pieces:
        return getattr(self, name)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class GoldDoc:
    """One gold document: its text, the annotator whose reading is gold, and the attributions."""

    id: str
    text: str
    annotator: str
    attributions: tuple[Attribution, ...] = field(default_factory=tuple)


# --- adapter ------------------------------------------------------------------------------------


def parse_ann(ann: str) -> list[Attribution]:
    """Attributions from a BRAT standoff file (T and E lines; other lines, and continuation lines of
    span texts that hold a newline, are skipped)."""
    spans: dict[str, Pieces] = {}
    for line in ann.splitlines():
        match = _T_LINE.match(line)
        if match:
            spans[match.group(1)] = tuple(
                (int(a), int(b)) for a, b in (piece.split() for piece in match.group(3).split(";"))
            )
    found = []
    for line in ann.splitlines():
        if not re.match(r"^E\d+\t", line):
            continue
        roles: dict[str, list[tuple[int, int]]] = {role: [] for role in ROLES}
        for arg in line.split("\t")[1].split():
            label, _, ref = arg.partition(":")
            role = re.sub(r"\d+$", "", label).lower()
            if role in roles and ref in spans:
                roles[role].extend(spans[ref])
        found.append(Attribution(*(tuple(sorted(roles[role])) for role in ROLES)))
    return found


def load_docs(folder: Path) -> dict[str, GoldDoc]:
    """The adapter: gold documents keyed by name, from a split folder (or the set's, for ``dev``)."""
    split = folder if (folder / "attributions").is_dir() else folder / DEFAULT_SPLIT
    if not (split / "attributions").is_dir() or not (split / "text").is_dir():
        raise ConfigError(f"{folder} holds no PolNeAR split (text/ and attributions/, or dev/ and train/)")
    chosen: dict[str, Path] = {}
    for path in sorted((split / "attributions").glob("*.ann")):
        doc_id = path.stem.rsplit("_", 1)[0]
        chosen.setdefault(doc_id, path)  # the first annotator in sorted order is gold
    docs = {}
    for doc_id, path in chosen.items():
        text_path = split / "text" / f"{doc_id}.txt"
        if not text_path.is_file():
            logger.warning("attribution: no text for %s, skipped", doc_id)
            continue
        attributions = parse_ann(path.read_text(encoding="utf-8"))
        annotator = path.stem.rsplit("_", 1)[1]
        docs[doc_id] = GoldDoc(doc_id, text_path.read_text(encoding="utf-8"), annotator, tuple(attributions))
    return docs


# --- the system's reading -----------------------------------------------------------------------


def read_quotes(docs: list[GoldDoc], options: Options) -> list[list[Quote]]:
    """The quotes stage on each gold text, parsed in one ``nlp.pipe`` pass."""
    from ..quotes.find import find_quotes
    from ..read.nlp import load_nlp

    nlp = load_nlp(options.spacy_model)
    out = []
    for gold, doc in zip(docs, nlp.pipe((d.text for d in docs), batch_size=16), strict=True):
        article = Article(id=gold.id, source_kind="text", body=gold.text, language="en", doc=doc)
        out.append(find_quotes(article, options).quotes)
    return out


def predicted_attributions(quotes: list[Quote], text: str) -> list[Attribution]:
    """Quotes as PolNeAR-style attributions (see the module docstring for the grouping)."""
    from ..quotes.find import whole_quotes

    groups: list[tuple[Quote, list[tuple[int, int]]]] = []
    for quote in sorted(whole_quotes(quotes), key=lambda q: q.content.start):
        piece = (quote.content.start, quote.content.end)
        same = next((g for g in groups if quote.cue and g[0].cue == quote.cue), None)
        if same is None and quote.cue is None and groups and _carries_on(groups[-1], quote, text):
            same = groups[-1]
        if same is not None:
            same[1].append(piece)
        else:
            groups.append((quote, [piece]))
    return [
        Attribution(
            ((q.speaker.start, q.speaker.end),) if q.speaker.start is not None and q.speaker.end is not None else (),
            ((q.cue.start, q.cue.end),) if q.cue else (),
            tuple(sorted(pieces)),
        )
        for q, pieces in groups
    ]


def _carries_on(group: tuple[Quote, list[tuple[int, int]]], quote: Quote, text: str) -> bool:
    first, pieces = group
    same_speaker = first.speaker.start is not None and first.speaker.start == quote.speaker.start
    return same_speaker and "\n\n" not in text[pieces[-1][1] : quote.content.start]


# --- scorer -------------------------------------------------------------------------------------


def _normal(pieces: Pieces, text: str) -> frozenset[str]:
    return frozenset(t for a, b in pieces if (t := text[a:b].strip(_TRIM)))


def _overlaps(a: Pieces, b: Pieces) -> bool:
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def _overlap_size(a: Pieces, b: Pieces) -> int:
    return sum(max(0, min(x1, y1) - max(x0, y0)) for x0, x1 in a for y0, y1 in b)


@dataclass
class _Counts:
    """Hits and totals for one metric: predicted items matched, gold items found."""

    pred_hit: int = 0
    pred: int = 0
    gold_hit: int = 0
    gold: int = 0

    def add(self, predicted: list[Any], gold: list[Any], match: Any) -> None:
        self.pred += len(predicted)
        self.gold += len(gold)
        self.pred_hit += sum(any(match(p, g) for g in gold) for p in predicted)
        self.gold_hit += sum(any(match(p, g) for p in predicted) for g in gold)

    def prf(self) -> tuple[float, float, float]:
        precision = self.pred_hit / self.pred if self.pred else 0.0
        recall = self.gold_hit / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def _score_doc(pred: list[Attribution], gold: list[Attribution], text: str, counts: dict[str, _Counts]) -> int:
    """Add one document's matches to ``counts``; return how many gold sources were paired right."""
    for role in ROLES:
        spans = [a.role(role) for a in pred if a.role(role)]
        golds = [a.role(role) for a in gold if a.role(role)]
        counts[role].add(spans, golds, _overlaps)
        counts[f"{role}_exact"].add(
            [_normal(x, text) for x in spans], [_normal(x, text) for x in golds], lambda x, y: bool(x) and x == y
        )
    counts["attribution"].add(pred, gold, _same_attribution)
    paired = 0
    for g in gold:
        if not g.source or not g.content:
            continue
        rivals = [a for a in pred if _overlaps(a.content, g.content)]
        if not rivals:
            continue
        counts["pairing"].gold += 1
        best = max(rivals, key=lambda a: _overlap_size(a.content, g.content))
        paired += _overlaps(best.source, g.source)
    counts["pairing"].gold_hit += paired
    return paired


def _same_attribution(p: Attribution, g: Attribution) -> bool:
    sources = _overlaps(p.source, g.source) or (not p.source and not g.source)
    return _overlaps(p.content, g.content) and sources


def score_docs(docs: list[tuple[str, Any]], options: Options) -> Scores:
    """The scorer: the quotes stage's attributions against the gold ones, per role and whole."""
    gold_docs: list[GoldDoc] = [doc for _, doc in docs]
    quotes = read_quotes(gold_docs, options)
    return score_predictions([(g, predicted_attributions(q, g.text)) for g, q in zip(gold_docs, quotes, strict=True)])


def score_predictions(pairs: list[tuple[GoldDoc, list[Attribution]]]) -> Scores:
    """Metrics (see the module docstring) of predicted attributions against each document's gold."""
    names = [*ROLES, *(f"{r}_exact" for r in ROLES), "attribution", "pairing"]
    counts = {name: _Counts() for name in names}
    rows: list[dict[str, Any]] = []
    for gold, pred in pairs:
        before = counts["content"].gold_hit
        _score_doc(pred, list(gold.attributions), gold.text, counts)
        rows.append({
            "id": gold.id, "annotator": gold.annotator, "gold": len(gold.attributions), "predicted": len(pred),
            "content_found": counts["content"].gold_hit - before,
        })
    metrics: dict[str, float] = {}
    for name in names[:-1]:
        precision, recall, f1 = counts[name].prf()
        metrics.update({f"{name}_precision": precision, f"{name}_recall": recall, f"{name}_f1": f1})
    pairing = counts["pairing"]
    metrics["pairing_accuracy"] = pairing.gold_hit / pairing.gold if pairing.gold else 0.0
    notes = {
        "gold_attributions": sum(len(g.attributions) for g, _ in pairs),
        "predicted_attributions": sum(len(p) for _, p in pairs),
        "human_agreement": HUMAN_AGREEMENT,
        "annotator": "first annotation file in sorted name order, per document",
    }
    return Scores(systems={"eventsift": metrics}, items=rows, notes=notes)


EVAL_SET = register(EvalSet(NAME, "who said what (source, cue, content) in political news", load_docs, score_docs))
