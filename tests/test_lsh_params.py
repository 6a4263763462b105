"""Our LSH (bands, rows) choice equals datasketch's private ``_optimal_param`` for the same arguments,
over a grid of thresholds and permutation counts (the function it replaces, without scipy)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from datasketch.lsh import _optimal_param

from eventsift.clean.dedup import lsh_params, optimal_bands

THRESHOLDS = [t / 100 for t in range(5, 100, 5)] + [0.01, 0.33, 0.45, 0.67, 0.99]
NUM_PERMS = [8, 16, 32, 50, 64, 100, 128]


@pytest.mark.parametrize("num_perm", NUM_PERMS)
def test_same_bands_and_rows_as_datasketch(num_perm: int) -> None:
    ours = [optimal_bands(t, num_perm) for t in THRESHOLDS]
    theirs = [_optimal_param(t, num_perm, 0.5, 0.5) for t in THRESHOLDS]
    assert ours == theirs


def test_default_settings_params() -> None:
    params = lsh_params(0.6, 128)
    assert (params.bands, params.rows) == _optimal_param(0.45, 128, 0.5, 0.5)


def test_importing_dedup_loads_neither_datasketch_nor_scipy() -> None:
    code = "import sys, eventsift.clean.dedup; print('datasketch' in sys.modules, 'scipy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
