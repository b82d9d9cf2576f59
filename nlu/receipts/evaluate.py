"""Scores the reader on a folder of receipts with a truth.jsonl (file, date, amount, number, and
optionally issuer, vat_number, patient_tax_code): per-field accuracy and latency."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from statistics import median

from nlu.receipts.model import Receipt
from nlu.receipts.reader import read_receipt

__all__ = ["FIELDS", "Evaluation", "evaluate"]

FIELDS = ("date", "amount", "number", "issuer", "vat_number", "patient_tax_code")


def _same_text(value: object) -> str:
    return re.sub(r"[^0-9a-z]", "", str(value).lower())


def _read_value(receipt: Receipt, name: str) -> str | None:
    found = {
        "date": receipt.date, "amount": receipt.total, "number": receipt.number,
        "issuer": receipt.issuer, "vat_number": receipt.vat_number,
        "patient_tax_code": receipt.patient_tax_code,
    }[name]
    if found is None:
        return None
    if name == "date":
        return found.value.isoformat()  # type: ignore[union-attr]
    if name == "amount":
        return f"{Decimal(found.value):.2f}"  # type: ignore[arg-type]
    return str(found.value)


def _right(name: str, expected: object, got: str | None) -> bool:
    if expected is None:
        return got is None  # nothing to find: finding something is wrong
    if got is None:
        return False
    if name in ("date", "amount"):
        return str(expected) == got
    return _same_text(expected) == _same_text(got)


@dataclass
class Evaluation:
    files: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    counted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    all_three: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [files, all three]
    cpu_seconds: list[float] = field(default_factory=list)
    ocr_cpu_seconds: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"File: {self.files}"]
        for name in FIELDS:
            if self.counted[name]:
                out.append(f"{name:>17}: {self.right[name]}/{self.counted[name]} "
                           f"({self.right[name] / self.counted[name]:.1%})")
        if self.files:
            out.append(f"data+importo+numero giusti: {self.all_three}/{self.files} "
                       f"({self.all_three / self.files:.1%})")
        for kind, (count, good) in sorted(self.by_kind.items()):
            out.append(f"  {kind}: {good}/{count} ({good / count:.1%}) con tutti e tre giusti")
        for label, values in (("tutti", self.cpu_seconds), ("OCR", self.ocr_cpu_seconds)):
            if values:
                ordered = sorted(values)
                p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
                out.append(f"CPU per file ({label}, {len(values)}): p50 {median(values):.2f} s, "
                           f"p95 {p95:.2f} s, max {ordered[-1]:.2f} s")
        return out


def _kind(path: Path, receipt: Receipt) -> str:
    if path.suffix.lower() == ".pdf":
        return "PDF scansionato" if receipt.source == "ocr" else "PDF con testo"
    return "foto"


def evaluate(folder: Path, *, progress: Callable[[str], None] | None = None) -> Evaluation:
    """Reads every file of folder/truth.jsonl and compares with the truth."""
    result = Evaluation()
    with (folder / "truth.jsonl").open(encoding="utf-8") as handle:
        truths = [json.loads(line) for line in handle if line.strip()]
    for truth in truths:
        path = folder / truth["file"]
        started = time.process_time()
        receipt = read_receipt(path)
        spent = time.process_time() - started
        result.files += 1
        result.cpu_seconds.append(spent)
        if receipt.source == "ocr":
            result.ocr_cpu_seconds.append(spent)
        wrong = []
        for name in FIELDS:
            if name not in truth:
                continue
            got = _read_value(receipt, name)
            result.counted[name] += 1
            if _right(name, truth[name], got):
                result.right[name] += 1
            else:
                wrong.append(f"{name} {truth[name]!r} letto {got!r}")
        three = all(_right(n, truth[n], _read_value(receipt, n)) for n in ("date", "amount", "number"))
        result.all_three += three
        kind = result.by_kind.setdefault(_kind(path, receipt), [0, 0])
        kind[0] += 1
        kind[1] += three
        if wrong:
            result.misses.append(f"{truth['file']}: " + "; ".join(wrong))
        if progress:
            progress(f"{truth['file']}: {spent:.2f} s {'ok' if three else 'ERRATO'}")
    return result
