"""Shared fixtures, and the hypothesis profile: seeds are fixed so that every run sees the same data.

Hypothesis runs derandomised by default (profile "ci": the same examples on every run and in CI,
no example database). ``HYPOTHESIS_PROFILE=explore pytest ...`` draws fresh examples instead.
"""

import os

import numpy as np
import pytest
from hypothesis import settings

import dlnlib

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def three_coordinates():
    """The book's worked example, whose exact saddle path is known in fractions."""
    return dlnlib.three_coordinate_example()


@pytest.fixture
def rng():
    return np.random.default_rng(20231201)
