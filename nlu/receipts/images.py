"""A photo or scan as the OCR wants it: upright as the phone meant it, RGB, not too large."""

from __future__ import annotations

import io

from PIL import Image, ImageOps

__all__ = ["MAX_PIXELS", "load_image", "prepare"]

# A photo larger than this is no phone photo (a decompression bomb, or a poster).
MAX_PIXELS = 60_000_000
# OCR reads a receipt page well at this size; larger only costs time.
_LONG_SIDE = 1600
# A smaller picture (a thumbnail, a low-resolution scan) is enlarged to this: the text
# detector misses letters only a few pixels high.
_MIN_LONG_SIDE = 1280


def load_image(data: bytes) -> Image.Image | None:
    """The image in the bytes, upright per its EXIF orientation; None when there is none."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            return None
        # A JPEG decodes straight to a smaller size: much faster than decoding it whole.
        image.draft("RGB", (_LONG_SIDE, _LONG_SIDE))
        image = ImageOps.exif_transpose(image)
        return prepare(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def prepare(image: Image.Image) -> Image.Image:
    """RGB on white (a transparent PNG's background is no ink), at most _LONG_SIDE pixels."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    image = image.convert("RGB")
    if max(image.size) > _LONG_SIDE:
        image = image.copy()
        image.thumbnail((_LONG_SIDE, _LONG_SIDE), Image.Resampling.LANCZOS)
    elif 0 < max(image.size) < _MIN_LONG_SIDE:
        scale = _MIN_LONG_SIDE / max(image.size)
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.BICUBIC)
    return image
