"""Every Italian catalogue (*_it.toml) has its English twin (*_en.toml) with the same keys, and
each sentence the same placeholders, so a conversation in English never lacks a sentence."""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    p for folder in ("bot", "dialogs") for p in (ROOT / folder).rglob("*_it.toml"))


def _flat(node: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in node.items():
        if isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _load(path: Path) -> dict[str, str]:
    with path.open("rb") as fh:
        return dict(_flat(tomllib.load(fh)))


def test_the_catalogues_are_found() -> None:
    assert ROOT / "dialogs" / "texts_it.toml" in CATALOGUES
    assert ROOT / "bot" / "reminders_it.toml" in CATALOGUES


@pytest.mark.parametrize("italian", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_english_has_the_same_keys_and_placeholders(italian: Path) -> None:
    english = italian.with_name(italian.name.removesuffix("_it.toml") + "_en.toml")
    where = english.relative_to(ROOT)
    assert english.exists(), (
        f"{where} is missing: every Italian catalogue needs its English twin. Copy "
        f"{italian.relative_to(ROOT)} there and translate each sentence (placeholders kept).")
    it, en = _load(italian), _load(english)
    problems = [f"  [{key.rpartition('.')[0]}] {key.rpartition('.')[2]} (Italian: {it[key]!r})"
                for key in it if key not in en]
    if problems:
        problems.insert(0, f"Add the English of these keys to {where}:")
    extra = [key for key in en if key not in it]
    if extra:
        problems.append(f"These keys of {where} are no longer in Italian, remove them: "
                        + ", ".join(extra))
    for key in it.keys() & en.keys():
        if isinstance(it[key], str) and _placeholders(it[key]) != _placeholders(en[key]):
            problems.append(f"{where} {key}: placeholders {sorted(_placeholders(en[key]))}, "
                            f"Italian has {sorted(_placeholders(it[key]))}")
    assert not problems, "\n".join(problems)
