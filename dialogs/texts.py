"""Italian message catalogues: every customer-facing sentence lives in a texts_it.toml file."""

from __future__ import annotations

import re
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any

__all__ = ["Messages", "joined", "t"]

# A preposition right before a placeholder: "vicino a {where}", "intestato a {name}".
_PREPOSITION_SLOT = re.compile(r"\b([Aa]|[Dd]i|[Dd]a|[Ii]n|[Ss]u) \{(\w+)\}")
_ARTICLE = re.compile(r"(il|lo|la|i|gli|le) (?=\S)|l'(?=\w)")
_CONTRACTED = {
    "a": ("al", "allo", "alla", "ai", "agli", "alle", "all'"),
    "di": ("del", "dello", "della", "dei", "degli", "delle", "dell'"),
    "da": ("dal", "dallo", "dalla", "dai", "dagli", "dalle", "dall'"),
    "in": ("nel", "nello", "nella", "nei", "negli", "nelle", "nell'"),
    "su": ("sul", "sullo", "sulla", "sui", "sugli", "sulle", "sull'"),
}
_ARTICLES = ("il", "lo", "la", "i", "gli", "le", "l'")


def joined(preposition: str, value: str) -> str:
    """A preposition and what follows it, as Italian writes them: "a" + "la tua posizione" is
    "alla tua posizione", "di" + "l'ecografia" "dell'ecografia", "a" + "Anna" "ad Anna"."""
    lower = preposition.lower()
    article = _ARTICLE.match(value)
    if article is not None and lower in _CONTRACTED:
        word = article.group().strip()
        contracted = _CONTRACTED[lower][_ARTICLES.index(word)]
        rest = value[article.end():]
        text = contracted + ("" if contracted.endswith("'") else " ") + rest.lstrip()
    elif lower == "a" and value[:1] in ("a", "A"):
        text = "ad " + value
    else:
        text = f"{lower} {value}"
    return text[:1].upper() + text[1:] if preposition[:1].isupper() else text


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
        if not values:
            return node.strip(self._strip)
        return _fill(node, values).strip(self._strip)


def _fill(template: str, values: dict[str, Any]) -> str:
    """The template with its values, a preposition before a value joined to it."""

    def join(match: re.Match[str]) -> str:
        preposition, name = match.groups()
        if name not in values:
            return match.group()
        text = joined(preposition, str(values[name]))
        return text.replace("{", "{{").replace("}", "}}")

    return _PREPOSITION_SLOT.sub(join, template).format(**values)


# The dialogs' own catalogue.
t = Messages(Path(__file__).with_name("texts_it.toml"))
