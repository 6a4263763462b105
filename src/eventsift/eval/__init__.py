"""Evaluation against gold-standard sets: ``run_eval(name)`` scores eventsift beside reference systems.

Eval sets live in a registry (``name -> adapter + scorer``, see :mod:`eventsift.eval.base`); each
built-in set is a module here that registers itself on import, the way a later set (geoparsing,
temporal, attribution, ...) is added. Gold data is read at run time from ``eval_dir`` and never
copied into the repository.
"""

from __future__ import annotations

from . import (  # noqa: F401 - each module registers its built-in set
    acled,
    article_extraction,
    attribution,
    event_coding,
    event_location,
    geoparsing,
    news_events,
    story_merge,
    temporal,
)
from .base import (
    DEFAULT_TOLERANCE,
    EvalError,
    EvalReport,
    EvalSet,
    Scores,
    baseline_entry,
    check_baseline,
    eval_names,
    get_eval_set,
    load_baseline,
    refused_input,
    register,
    run_eval,
    write_report,
)
from .scoring import PRF, token_prf

__all__ = [
    "DEFAULT_TOLERANCE",
    "PRF",
    "EvalError",
    "EvalReport",
    "EvalSet",
    "Scores",
    "baseline_entry",
    "check_baseline",
    "eval_names",
    "get_eval_set",
    "load_baseline",
    "refused_input",
    "register",
    "run_eval",
    "token_prf",
    "write_report",
]
