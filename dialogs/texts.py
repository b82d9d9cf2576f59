"""Message catalogues: every customer-facing sentence lives in a texts_it.toml file, and in
English in the texts_en.toml beside it; a lookup answers in the language of the turn
(nlu.language.current)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlu.language import DEFAULT, LANGUAGES, current

__all__ = ["Messages", "joined", "label", "t"]

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
    """A TOML file of sections and sentences, one per language: `messages("section.name",
    **values)` in the language of the turn.

    `path` is the Italian catalogue (`texts_it.toml`); the others are beside it with their
    language in the name (`texts_en.toml`). A key missing from one falls back to Italian, so
    a sentence added in Italian alone never breaks a conversation (tests/dialogs/
    test_texts_parity.py says which are missing). `keep_spaces` trims only line breaks, for
    pieces that continue a sentence and so keep a leading space; otherwise all surrounding
    whitespace is trimmed.
    """

    def __init__(self, path: Path, *, keep_spaces: bool = False) -> None:
        self.path = path
        self._strip = "\n" if keep_spaces else None
        # Each language's file is read when a turn first speaks it: an Italian greeting
        # does not wait for the English catalogue to be parsed (issue 14, the start).
        self._tables: dict[str, dict[str, Any]] = {}
        self._by_key: dict[str, dict[str, str]] = {}

    def path_of(self, language: str) -> Path:
        """The catalogue of `language`."""
        stem = self.path.name.removesuffix(f"_{DEFAULT}.toml")
        return self.path.with_name(f"{stem}_{language}.toml")

    def catalogue(self, language: str) -> dict[str, Any]:
        """The sentences of `language`, as the file has them (empty if there is none)."""
        tables = self._tables.get(language)
        if tables is None:
            path = self.path_of(language)
            tables = {}
            if language == DEFAULT or (language in LANGUAGES and path.exists()):
                with path.open("rb") as fh:
                    tables = tomllib.load(fh)
            self._tables[language] = tables
        return tables

    def _sentences(self, language: str) -> dict[str, str]:
        """Each sentence of `language` by its dotted key: one lookup a sentence, and several
        sentences a turn, instead of a walk down the tables."""
        found = self._by_key.get(language)
        if found is None:
            found = self._by_key[language] = dict(_dotted(self.catalogue(language)))
        return found

    def __call__(self, key: str, /, **values: Any) -> str:
        language = current()
        node = self._sentences(language).get(key)
        if node is None and language != DEFAULT:
            language = DEFAULT
            node = self._sentences(DEFAULT).get(key)
        if node is None:
            raise KeyError(key)
        if not values:
            return node.strip(self._strip)
        return _fill(node, values, language).strip(self._strip)


def _dotted(tables: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """("section.name", sentence) for each sentence of the tables; a key that has a dot of its
    own (a label keyed by its Italian) can't be named by a dotted key, and is left out."""
    for name, node in tables.items():
        if "." in name:
            continue
        if isinstance(node, str):
            yield prefix + name, node
        elif isinstance(node, dict):
            yield from _dotted(node, f"{prefix}{name}.")


def _fill(template: str, values: dict[str, Any], language: str) -> str:
    """The template with its values; in Italian, a preposition before a value joined to it."""
    if language != "it" or not _has_preposition_slot(template):
        return template.format(**values)

    def join(match: re.Match[str]) -> str:
        preposition, name = match.groups()
        if name not in values:
            return match.group()
        text = joined(preposition, str(values[name]))
        return text.replace("{", "{{").replace("}", "}}")

    return _PREPOSITION_SLOT.sub(join, template).format(**values)


@lru_cache(maxsize=4096)
def _has_preposition_slot(template: str) -> bool:
    # Most sentences have none: the substitution is then skipped, found once per sentence.
    return _PREPOSITION_SLOT.search(template) is not None


# The dialogs' own catalogue.
t = Messages(Path(__file__).with_name("texts_it.toml"))


def label(text: str) -> str:
    """A label the code declares in Italian (a flow's title, a step's name in the summary's
    edit menu, a menu entry), in the turn's language: the [labels] table of the catalogue,
    keyed by the Italian, as gettext keys by the source text."""
    if current() == DEFAULT:
        return text
    return t.catalogue(current()).get("labels", {}).get(text, text)
