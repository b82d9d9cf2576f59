"""Alembic migrations of the portal schema; run them with `Store.migrate()`."""
