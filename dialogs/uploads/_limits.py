"""What a received file may weigh, hold and measure."""

from __future__ import annotations

__all__ = ["MAX_BYTES", "MAX_NAME", "MAX_PAGES", "MAX_PDF_OBJECTS", "MAX_PIXELS", "MIN_SIDE"]

MAX_BYTES = 10 * 1024 * 1024
# Well under Pillow's own bomb limit (~179 Mpx): a 40 Mpx photo is a modern phone's largest,
# and decoding one costs about 120 MB.
MAX_PIXELS = 40_000_000
# A receipt or a prescription is a few pages; a medical record rarely tens.
MAX_PAGES = 50
# The objects a PDF may hold while we look for active content in them.
MAX_PDF_OBJECTS = 200_000
MIN_SIDE = 50
MAX_NAME = 80
