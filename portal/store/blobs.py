"""Documents kept in the database (MEDBOT_DOCUMENT_STORAGE=database): every replica reads what
any other received, with no shared folder. Sealed as on disk (portal.documents); the content
never travels unsealed.

The documents' interface is synchronous (a turn stores a file from inside the engine), so the
blobs go through a synchronous engine of their own: pysqlite on SQLite, psycopg on
PostgreSQL (the `postgres` extra). A document is at most 10 MB and written once.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import create_engine, insert, select, update
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import IntegrityError

from portal.schema import document_blobs

__all__ = ["DatabaseBlobs", "sync_url"]

_SYNC_DRIVERS = {"sqlite": "sqlite+pysqlite", "postgresql": "postgresql+psycopg"}


def sync_url(url: URL) -> URL:
    """The same database through a synchronous driver."""
    return url.set(drivername=_SYNC_DRIVERS[url.get_backend_name()])


class DatabaseBlobs:
    """`portal.documents.Blobs` over the `document_blobs` table."""

    def __init__(self, url: URL) -> None:
        self.engine: Engine = create_engine(sync_url(url), hide_parameters=True,
                                            pool_pre_ping=True)

    def get(self, sha256: str) -> bytes:
        with self.engine.connect() as conn:
            found = conn.scalar(select(document_blobs.c.sealed)
                                .where(document_blobs.c.sha256 == sha256))
        if found is None:
            raise FileNotFoundError(f"document {sha256[:12]}… is not stored")
        return bytes(found)

    def add(self, sha256: str, sealed: bytes) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(document_blobs).values(sha256=sha256, sealed=sealed))
        except IntegrityError:
            pass  # another replica stored the same content first: same document

    def replace(self, sha256: str, sealed: bytes) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(document_blobs).where(document_blobs.c.sha256 == sha256)
                         .values(sealed=sealed))

    def has(self, sha256: str) -> bool:
        with self.engine.connect() as conn:
            return conn.scalar(select(document_blobs.c.sha256)
                               .where(document_blobs.c.sha256 == sha256)) is not None

    def names(self) -> Iterator[str]:
        with self.engine.connect() as conn:
            names = list(conn.scalars(select(document_blobs.c.sha256)
                                      .order_by(document_blobs.c.sha256)))
        yield from names

    def clean_temporary(self, older_than: float = 0.0) -> int:
        return 0  # a transaction leaves nothing half-written

    def close(self) -> None:
        self.engine.dispose()
