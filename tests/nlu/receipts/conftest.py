"""The development set's truth, shared by the reader's tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DEV = Path(__file__).parent / "dev"


def truths() -> list[dict]:
    with (DEV / "truth.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="session")
def ocr_engine() -> None:
    """The OCR models, loaded once for the whole session."""
    from nlu.receipts import warm_up

    warm_up()
