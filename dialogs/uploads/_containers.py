"""Where a JPEG, PNG or PDF really ends, so that nothing rides along after it (polyglots)."""

from __future__ import annotations

__all__ = ["jpeg_end", "pdf_end", "png_end", "trailing_is_padding", "zip_inside"]

_PADDING = b" \t\r\n\f\x00"
# ZIP readers look for the end-of-central-directory record in the last 64 KiB + 22 bytes.
_ZIP_TAIL = 65_535 + 22
_ZIP_END = b"PK\x05\x06"
_ZIP_ENTRY = b"PK\x03\x04"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def trailing_is_padding(data: bytes, end: int) -> bool:
    """True when nothing but blanks or NULs follows `end`."""
    return not data[end:].strip(_PADDING)


def zip_inside(data: bytes) -> bool:
    """A ZIP archive a ZIP reader would open: its end record near the end of the file, or
    its first entry at the very start."""
    return _ZIP_END in data[-_ZIP_TAIL:] or data.startswith(_ZIP_ENTRY)


def jpeg_end(data: bytes) -> int | None:
    """The offset just after the first image's EOI marker, walking the segments and the
    entropy-coded data; None if the structure is broken before an EOI."""
    if not data.startswith(b"\xff\xd8"):
        return None
    i, size = 2, len(data)
    while i < size:
        if data[i] != 0xFF:
            return None
        while i < size and data[i] == 0xFF:  # fill bytes before a marker
            i += 1
        if i >= size:
            return None
        marker = data[i]
        i += 1
        if marker == 0xD9:  # EOI
            return i
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # TEM, RSTn: no length
            continue
        if i + 2 > size:
            return None
        length = int.from_bytes(data[i:i + 2], "big")
        if length < 2:
            return None
        i += length
        if marker == 0xDA:  # SOS: entropy-coded data up to the next real marker
            i = _after_scan(data, i)
            if i is None:
                return None
    return None


def _after_scan(data: bytes, i: int) -> int | None:
    """The offset of the marker that ends a scan (0xFF followed by neither a stuffed 0x00
    nor a restart marker)."""
    size = len(data)
    while True:
        i = data.find(b"\xff", i)
        if i < 0 or i + 1 >= size:
            return None
        following = data[i + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            i += 1
            continue
        return i


def png_end(data: bytes) -> int | None:
    """The offset just after the IEND chunk, walking the chunks; None if broken."""
    if not data.startswith(_PNG_SIGNATURE):
        return None
    i, size = len(_PNG_SIGNATURE), len(data)
    while i + 8 <= size:
        length = int.from_bytes(data[i:i + 4], "big")
        kind = data[i + 4:i + 8]
        i += 12 + length  # length, type, data, CRC
        if i > size:
            return None
        if kind == b"IEND":
            return i
    return None


def pdf_end(data: bytes) -> int | None:
    """The offset just after the last %%EOF (incremental updates append more); None if none."""
    found = data.rfind(b"%%EOF")
    return None if found < 0 else found + len(b"%%EOF")
