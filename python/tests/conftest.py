"""Shared fixtures: where the repository's testdata is, and test secrets.

The secrets here are public test values: never use them.
"""

from __future__ import annotations

import os
import pathlib
import sys

import pytest

# Under mutmut (python/pyproject.toml, [tool.mutmut]) every call of a mutated
# function goes through two extra frames, so 512 levels of nesting in the
# sealer's recursion need a higher limit than Python's 1000. Only there: the
# normal run keeps the default, which the depth tests rely on.
if "MUTANT_UNDER_TEST" in os.environ:  # pragma: no cover - mutmut only
    sys.setrecursionlimit(20000)

REPO = pathlib.Path(__file__).resolve().parents[2]
# COOKIESEAL_TESTDATA points the conformance runner at another testdata/
# (a suite in progress); the default is the repository's.
TESTDATA = pathlib.Path(os.environ.get("COOKIESEAL_TESTDATA") or REPO / "testdata")

SECRET_A = "cookieseal-python-test-secret-A-PUBLIC-never-use"
SECRET_B = "cookieseal-python-test-secret-B-PUBLIC-never-use"
SECRET_C = "cookieseal-python-test-secret-C-PUBLIC-never-use"


class Clock:
    """A settable clock for Codec(now=...)."""

    def __init__(self, t: float = 1795700000) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()
