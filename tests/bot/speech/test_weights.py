"""Assembling the packaged weights: nothing without the extra, and parts that do not make
Systran's model are refused without leaving a model that looks whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.speech import _weights
from bot.speech._weights import WeightsError, packaged_model


def fake_parts(root: Path, model: bytes = b"weights") -> tuple[Path, Path]:
    first, second = root / "one" / "data", root / "two" / "data"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    (first / "model.bin.part1").write_bytes(model[:3])
    (second / "model.bin.part2").write_bytes(model[3:])
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (first / name).write_text("{}")
    return first, second


def test_without_the_extra_there_is_no_model(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_weights, "packaged_parts", lambda: None)
    assert packaged_model(tmp_path) is None


def test_parts_that_do_not_match_are_refused(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    parts = fake_parts(tmp_path / "site")
    monkeypatch.setattr(_weights, "packaged_parts", lambda: parts)
    with pytest.raises(WeightsError, match="model.bin"):
        packaged_model(tmp_path / "home")
    speech = tmp_path / "home" / "speech"
    assert list(speech.iterdir()) == []  # nothing half-built left behind


def test_parts_that_match_are_joined_once(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    parts = fake_parts(tmp_path / "site", b"weights")
    expected = {"model.bin": hashlib.sha256(b"weights").hexdigest(),
                **{n: hashlib.sha256(b"{}").hexdigest()
                   for n in ("config.json", "tokenizer.json", "vocabulary.txt")}}
    monkeypatch.setattr(_weights, "packaged_parts", lambda: parts)
    monkeypatch.setattr(_weights, "EXPECTED_SHA256", expected)
    folder = packaged_model(tmp_path / "home")
    assert folder is not None and (folder / "model.bin").read_bytes() == b"weights"
    monkeypatch.setattr(_weights, "packaged_parts", lambda: pytest.fail("assembled again"))
    assert packaged_model(tmp_path / "home") == folder
