"""Settings shared by every test."""

import pytest


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch):
    """In a GitHub Actions job dynalint says on stderr which settings govern each run: what a test reads must not
    depend on where the suite runs (tests of that line set GITHUB_ACTIONS themselves)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
