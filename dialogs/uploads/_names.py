"""File names fit to show, store and save: no folders, no control or direction characters."""

from __future__ import annotations

import re
import unicodedata

from dialogs.uploads._limits import MAX_NAME

__all__ = ["safe_filename"]

_BLANKS = re.compile(r"\s+")
# Line breaks and tabs become spaces; other controls (NUL), format characters (bidi
# overrides that disguise "fdp.exe" as "exe.pdf"), surrogates and unassigned ones go.
_SPACING = set("\t\n\v\f\r\x85")
_DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn"}
# Characters Windows and most file systems refuse in a name.
_RESERVED = set('<>:"|?*')


def safe_filename(declared: str, extension: str = "", fallback: str = "documento") -> str:
    """The last part of `declared` without control characters (CR, LF, NUL, bidi overrides),
    reserved characters or leading dots, at most MAX_NAME characters, ending in `extension`
    when given (the type was judged from the content, not from the name)."""
    name = (declared or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if ch in _SPACING or unicodedata.category(ch) in ("Zl", "Zp") else ch
                   for ch in name
                   if unicodedata.category(ch) not in _DROPPED or ch in _SPACING)
    name = "".join(ch for ch in name if ch not in _RESERVED)
    name = _BLANKS.sub(" ", name).strip().lstrip(".").strip()
    if extension:
        stem = name.rsplit(".", 1)[0] if "." in name else name
        stem = stem.strip()[:MAX_NAME - len(extension)].rstrip(" .") or fallback
        return f"{stem}{extension}"
    return name[:MAX_NAME].rstrip(" .") or fallback
