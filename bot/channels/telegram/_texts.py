"""The Telegram channel's own Italian sentences, from texts_it.toml beside this module."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

_CATALOGUE = Path(__file__).with_name("texts_it.toml")


@cache
def _messages() -> dict[str, Any]:
    with _CATALOGUE.open("rb") as fh:
        return tomllib.load(fh)


def t(key: str, /, **values: Any) -> str:
    """The message `key` ("section.name"), formatted with `values`."""
    node: Any = _messages()
    for part in key.split("."):
        node = node[part]
    if not isinstance(node, str):
        raise KeyError(key)
    return node.format(**values).strip() if values else node.strip()
