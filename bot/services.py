"""The dialogs' Services, made of the real catalogue and the document store."""

from __future__ import annotations

from dialogs.services import ServiceMatch
from nlu.catalogue import Catalogue
from portal.documents import DocumentStore
from portal.models import StoredFile


class PortalServices:
    def __init__(self, catalogue: Catalogue, documents: DocumentStore) -> None:
        self._catalogue = catalogue
        self._documents = documents

    def find_services(self, text: str, limit: int) -> list[ServiceMatch]:
        return [ServiceMatch(m.code, m.name, m.kind, m.score)
                for m in self._catalogue.search(text, limit=limit)]

    def service_name(self, code: str, kind: str) -> str | None:
        entry = self._catalogue.get(code, kind)
        return entry.name if entry is not None else None

    def store_file(self, data: bytes, mime_type: str, filename: str) -> StoredFile:
        return self._documents.put(data, mime_type, filename)
