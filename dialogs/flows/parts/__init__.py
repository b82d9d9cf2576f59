"""Steps shared by the request flows: who, which service and cover, documents, closing."""
