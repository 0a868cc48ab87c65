"""The how-to pages' examples run from the project's top directory, as they say."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _from_the_top(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
