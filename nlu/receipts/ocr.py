"""OCR of a page image with RapidOCR (PP-OCR models run by onnxruntime, shipped in the wheel):
the text lines in reading order, whatever way the page was turned.

The engine is loaded once per process, lazily, behind a lock (`warm_up` loads it ahead).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from statistics import median
from typing import Any

import numpy as np
from PIL import Image

from nlu.receipts.text import TextLine

__all__ = ["recognise", "warm_up"]

# Measured on this 2-core machine (issue 18): the detector capped at 1280 px keeps small print
# readable at ~1.3 s of CPU a photo; one onnxruntime thread, as callers run readers in threads.
_PARAMS = {
    "Global.log_level": "error",
    "Global.use_cls": True,
    "Global.max_side_len": 2000,
    "Det.limit_side_len": 1280,
    "Det.limit_type": "max",
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}

_engine: Any = None
_load_lock = threading.Lock()
# RapidOCR does not promise that one engine serves two threads at once: one page at a time.
_run_lock = threading.Lock()


def warm_up() -> None:
    """Load the OCR models now (a server calls it at start, in the background)."""
    _get_engine()


def _get_engine() -> Any:
    global _engine
    if _engine is None:
        with _load_lock:
            if _engine is None:
                from rapidocr import RapidOCR

                engine = RapidOCR(params=_PARAMS)
                # The three models load on first use: load them here, not in a customer's turn.
                engine(np.full((64, 256, 3), 255, dtype=np.uint8))
                _engine = engine
    return _engine


@dataclass(frozen=True, slots=True)
class _Box:
    text: str
    score: float
    cx: float
    cy: float
    left: float
    right: float
    height: float
    slope: float
    width: float


def _run(image: Image.Image) -> tuple[list[_Box], float]:
    """The text boxes, and the share of them the classifier found upside down."""
    engine = _get_engine()
    array = np.asarray(image.convert("RGB"))[:, :, ::-1].copy()  # RapidOCR wants BGR
    record = {"preprocess": {"ratio_h": 1.0, "ratio_w": 1.0}}
    with _run_lock:
        det, cls, rec, _ = engine.run_ocr_steps(array, record)
    if det.boxes is None or rec.txts is None:
        return [], 0.0
    labels = cls.cls_res or [("0", 1.0)] * len(rec.txts)
    boxes, flipped, weight = [], 0.0, 0.0
    for points, text, score, (label, _) in zip(det.boxes, rec.txts, rec.scores, labels,
                                               strict=False):
        if not text.strip() or score < 0.5:
            continue
        p = np.asarray(points, dtype=float)
        width = float(np.linalg.norm(p[1] - p[0]))
        height = float(np.linalg.norm(p[3] - p[0]))
        slope = (p[1][1] - p[0][1]) / max(1.0, p[1][0] - p[0][0])
        boxes.append(_Box(text, float(score), float(p[:, 0].mean()), float(p[:, 1].mean()),
                          float(p[:, 0].min()), float(p[:, 0].max()), height, float(slope),
                          width))
        weight += width
        if label == "180":
            flipped += width
    return boxes, (flipped / weight if weight else 0.0)


def _sideways(image: Image.Image) -> bool:
    """Whether the text runs up or down the image: most text boxes taller than wide."""
    engine = _get_engine()
    small = image.copy()
    # Text lines keep their shape at 640 px, at a third of the detector's cost at 960 px
    # (the same answer on all 29 photos of the development set).
    small.thumbnail((640, 640))
    array = np.asarray(small.convert("RGB"))[:, :, ::-1].copy()
    with _run_lock:
        det = engine.text_det(array)
    if det.boxes is None or len(det.boxes) == 0:
        return False
    tall = wide = 0
    for points in det.boxes:
        p = np.asarray(points, dtype=float)
        w = float(np.linalg.norm(p[1] - p[0]))
        h = float(np.linalg.norm(p[3] - p[0]))
        if h > 1.5 * w:
            tall += 1
        elif w > 1.5 * h:
            wide += 1
    return tall > wide


def recognise(image: Image.Image, page: int = 0) -> list[TextLine]:
    """The page's text lines top to bottom, each with the OCR's mean confidence."""
    if _sideways(image):
        image = image.transpose(Image.Transpose.ROTATE_90)
    boxes, flipped = _run(image)
    if sum(b.height > 1.5 * b.width for b in boxes) > sum(b.width > 1.5 * b.height for b in boxes):
        # The quick look got the turn wrong: the full detector sees the text running sideways.
        image = image.transpose(Image.Transpose.ROTATE_90)
        boxes, flipped = _run(image)
    if flipped > 0.5:
        # The page is upside down: each line was read turned, now turn the layout too.
        w, h = image.size
        boxes = [
            _Box(b.text, b.score, w - b.cx, h - b.cy, w - b.right, w - b.left, b.height, b.slope,
                 b.width)
            for b in boxes
        ]
    return [TextLine(text, score, page) for text, score in _rows(boxes)]


def _slope_field(boxes: list[_Box]) -> tuple[float, float]:
    """The text lines' slant as a straight function of height on the page (a + b * y): skew
    turns all lines alike, a phone's perspective turns the top ones and the bottom ones apart.
    Fitted on the long boxes, whose slant the detector measures well."""
    long = [b for b in boxes if b.width >= 3 * b.height]
    if len(long) < 4:
        return (median(b.slope for b in boxes) if boxes else 0.0), 0.0
    ys = np.array([b.cy for b in long])
    slopes = np.array([b.slope for b in long])
    weights = np.array([b.width for b in long])
    try:
        b, a = np.polyfit(ys, slopes, 1, w=np.sqrt(weights))
    except (np.linalg.LinAlgError, ValueError):
        return float(np.median(slopes)), 0.0
    # A fit pulled by a few odd boxes is no perspective: keep the slant within reason.
    return float(a), float(np.clip(b, -1e-3, 1e-3))


def _rows(boxes: list[_Box]) -> list[tuple[str, float]]:
    """Boxes joined into printed rows: a box belongs to the row whose baseline, followed along
    the page's slant at that height (skew, perspective), passes through it."""
    if not boxes:
        return []
    typical = median(b.height for b in boxes) or 1.0
    a, b = _slope_field(boxes)

    def slant(y: float) -> float:
        return a + b * y

    def intercept(box: _Box) -> float:
        return box.cy - slant(box.cy) * box.cx

    rows: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda item: (intercept(item), item.left)):
        best, best_gap = None, 0.0
        for row in rows[-6:]:
            if any(o.left < box.right - 0.3 * typical and box.left < o.right - 0.3 * typical
                   for o in row):
                continue  # overlaps a box of the row: another row
            nearest = min(row, key=lambda o: abs(o.cx - box.cx))
            predicted = nearest.cy + slant((nearest.cy + box.cy) / 2) * (box.cx - nearest.cx)
            gap = abs(predicted - box.cy)
            limit = 0.5 * max(min(nearest.height, box.height), 0.8 * typical)
            if gap < limit and (best is None or gap < best_gap):
                best, best_gap = row, gap
        if best is None:
            rows.append([box])
        else:
            best.append(box)
    rows.sort(key=lambda row: median(intercept(o) for o in row))
    result = []
    for row in rows:
        row.sort(key=lambda o: o.left)
        parts = [row[0].text]
        for previous, box in zip(row, row[1:], strict=False):
            parts.append("  " if box.left - previous.right > 1.2 * typical else " ")
            parts.append(box.text)
        score = sum(o.score * len(o.text) for o in row) / sum(len(o.text) for o in row)
        result.append(("".join(parts), score))
    return result
