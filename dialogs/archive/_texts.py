"""The archive's Italian message catalogue (texts_it.toml beside this file)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["t"]

_CATALOGUE = Path(__file__).with_name("texts_it.toml")


@cache
def _messages() -> dict[str, Any]:
    with _CATALOGUE.open("rb") as fh:
        return tomllib.load(fh)


def t(key: str, /, **values: Any) -> str:
    """The message `key` ("section.name"), formatted with `values`.

    Only line breaks are trimmed: pieces that continue a sentence keep their leading space.
    """
    node: Any = _messages()
    for part in key.split("."):
        node = node[part]
    if not isinstance(node, str):
        raise KeyError(key)
    return (node.format(**values) if values else node).strip("\n")
