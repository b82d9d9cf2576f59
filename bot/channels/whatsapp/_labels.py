"""Labels shortened to WhatsApp's limits at a word boundary, never in the middle of a word."""

from __future__ import annotations

__all__ = ["shorten"]

ELLIPSIS = "…"
# Words that say nothing at the end of a shortened label ("Visita di…" -> "Visita…").
_DANGLING = {"a", "al", "alla", "con", "da", "dal", "dalla", "del", "della", "dei", "delle",
             "di", "e", "in", "il", "la", "le", "lo", "gli", "i", "nel", "nella", "o", "per",
             "su", "tra", "un", "una", "-", "·", "—", "/"}


def shorten(label: str, limit: int) -> str:
    """`label` if it fits in `limit` characters, else its first whole words and «…»."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    words = label[: limit - len(ELLIPSIS) + 1].split(" ")
    if len(words) > 1:
        words = words[:-1]  # the last one was cut (or only just fits with the space)
    while len(words) > 1 and words[-1].lower().strip(",;:.") in _DANGLING:
        words.pop()
    kept = " ".join(words).rstrip(" ,;:.-·—/(")
    if len(kept) > limit - len(ELLIPSIS):  # one long word: no boundary to cut at
        kept = kept[: limit - len(ELLIPSIS)]
    return kept + ELLIPSIS
