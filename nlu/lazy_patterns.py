"""Regular expressions compiled on their first use instead of at import.

`re` compiles in Python: the rule tables of the intents, dates and acts took 0.1-0.3 s at every
start, before a greeting that needs none of them could be answered (issue 14). A pattern made
with `lazy_compile` costs nothing until a message is matched against it; from then on its
methods are the compiled pattern's own, so matching is as fast as with `re.compile`.
"""

from __future__ import annotations

import re
from typing import Any, cast

__all__ = ["lazy_compile"]

# Pattern methods bound once, on the first use, onto the lazy pattern itself.
_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class _LazyPattern:
    """Stands for `re.compile(pattern, flags)` until something asks the pattern anything."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Called only for what the instance does not have yet: the first use.
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self._flags)
            for method in _METHODS:
                setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r})"


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, done when the pattern is first used."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))
