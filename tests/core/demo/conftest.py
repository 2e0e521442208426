"""Fixtures of the demo-data tests: the demo generated once per session."""

from __future__ import annotations

import pytest

from lbpo_gui.core.demo import DEFAULT_SEED, demo_samples


@pytest.fixture(scope="session")
def demo():
    """The demo samples for the default seed, by name."""
    return {s.name: s for s in demo_samples(DEFAULT_SEED)}
