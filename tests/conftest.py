"""Shared fixtures: seeds are fixed so that every run sees the same data."""

import numpy as np
import pytest

import dlnlib


@pytest.fixture
def three_coordinates():
    """The book's worked example, whose exact saddle path is known in fractions."""
    return dlnlib.three_coordinate_example()


@pytest.fixture
def rng():
    return np.random.default_rng(20231201)
