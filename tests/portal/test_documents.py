"""portal.documents: content-addressed, atomic, idempotent files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from portal.documents import DocumentStore


def test_put_read_path(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "docs")
    data = b"%PDF-1.4 fattura"
    stored = store.put(data, "application/pdf", "fattura.pdf")
    digest = hashlib.sha256(data).hexdigest()
    assert (stored.sha256, stored.size, stored.mime_type, stored.filename) == (
        digest, len(data), "application/pdf", "fattura.pdf"
    )  # fmt: skip
    assert store.path(digest) == tmp_path / "docs" / digest[:2] / digest
    assert store.read(digest) == data
    assert store.exists(digest)


def test_put_is_idempotent_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    first = store.put(b"same bytes", "image/png", "a.png")
    second = store.put(b"same bytes", "image/jpeg", "b.jpg")
    assert first.sha256 == second.sha256
    assert second.filename == "b.jpg"  # names travel with the record, not the file
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [store.path(first.sha256)]


def test_empty_file(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    stored = store.put(b"", "application/octet-stream", "vuoto")
    assert store.read(stored.sha256) == b"" and stored.size == 0


def test_missing_and_malformed(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    missing = "0" * 64
    assert not store.exists(missing)
    with pytest.raises(FileNotFoundError):
        store.read(missing)
    for bad in ("../etc/passwd", "ABC", "A" * 64):
        with pytest.raises(ValueError):
            store.path(bad)
