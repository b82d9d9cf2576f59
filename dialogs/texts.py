"""Italian message catalogues: every customer-facing sentence lives in a texts_it.toml file."""

from __future__ import annotations

import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any

__all__ = ["Messages", "t"]


class Messages:
    """A TOML file of sections and sentences; `messages("section.name", **values)`.

    `keep_spaces` trims only line breaks, for pieces that continue a sentence and so keep a
    leading space; otherwise all surrounding whitespace is trimmed.
    """

    def __init__(self, path: Path, *, keep_spaces: bool = False) -> None:
        self._path = path
        self._strip = "\n" if keep_spaces else None

    @cached_property
    def _messages(self) -> dict[str, Any]:
        with self._path.open("rb") as fh:
            return tomllib.load(fh)

    def __call__(self, key: str, /, **values: Any) -> str:
        node: Any = self._messages
        for part in key.split("."):
            node = node[part]
        if not isinstance(node, str):
            raise KeyError(key)
        return (node.format(**values) if values else node).strip(self._strip)


# The dialogs' own catalogue.
t = Messages(Path(__file__).with_name("texts_it.toml"))
