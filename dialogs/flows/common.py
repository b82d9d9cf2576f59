"""Steps shared by the request flows: choosing from lists, people, files, free text."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal
from typing import Any

from dialogs.events import Inbound
from dialogs.steps import Context, Invalid
from dialogs.texts import t
from dialogs.uploads import CheckedFile, UploadError, check_upload
from nlu.dates import describe_date
from nlu.money import format_amount
from portal.models import Person, StoredFile


def person_label(ctx: Context, person: Person) -> str:
    if person.id == ctx.household.customer.id:
        return t("people.me", name=person.full_name)
    return person.full_name


def person_aliases(ctx: Context, person: Person) -> tuple[str, ...]:
    """Words that name a household member in a typed answer."""
    if person.id == ctx.household.customer.id:
        return ("io", "me", "me stesso", "me stessa", "per me", "a me", "mio", "il mio", "mia",
                "myself", "for me", "to me", "i", "mine", "my own", person.first_name)
    relation_words = {
        "coniuge": ("mia moglie", "mio marito", "moglie", "marito", "coniuge", "my wife",
                    "my husband", "wife", "husband", "my partner", "spouse"),
    }
    return (person.first_name, *relation_words.get(person.relation.value, ()))


async def store_upload(ctx: Context, inbound: Inbound) -> dict[str, Any] | Invalid:
    """Checks and keeps a received file: the file as an answer value, or why it was refused
    (not a readable photo or PDF, too big, or already attached to this draft)."""
    kept = await keep_upload(ctx, inbound)
    return kept if isinstance(kept, Invalid) else kept[0]


async def keep_upload(ctx: Context, inbound: Inbound) -> tuple[dict[str, Any], CheckedFile] | Invalid:
    """As `store_upload`, with the file as checked (its content, to be read)."""
    checked = accept_upload(ctx, inbound)
    if isinstance(checked, Invalid):
        return checked
    return await keep_checked(ctx, checked), checked


def accept_upload(ctx: Context, inbound: Inbound) -> CheckedFile | Invalid:
    """The received file as it will be kept, or why it is refused (not a readable photo or
    PDF, too big, or already attached to this draft)."""
    if inbound.file is None:
        return Invalid(t("files.expected"))
    try:
        checked = check_upload(inbound.file)
    except UploadError as exc:
        return Invalid(str(exc))
    if hashlib.sha256(checked.data).hexdigest() in known_files(ctx):
        return Invalid(t("files.duplicate"))
    return checked


async def keep_checked(ctx: Context, checked: CheckedFile) -> dict[str, Any]:
    """An accepted file written to the document store (on disk when this returns), as an
    answer value."""
    stored = await ctx.services.store_file(checked.data, checked.mime_type, checked.filename)
    return {
        "sha256": stored.sha256,
        "mime_type": stored.mime_type,
        "size": stored.size,
        "filename": stored.filename,
    }


def stored_file(value: dict[str, Any]) -> StoredFile:
    """An answer's file (as store_upload made it) as the portal's record."""
    return StoredFile(value["sha256"], value["mime_type"], value["size"], value["filename"])


def known_files(ctx: Context) -> set[str]:
    """sha256 of every file already attached in this draft, so a file is never taken twice."""
    files = [e["file"] for e in ctx.get("expenses", [])]
    files += [d["file"] for d in ctx.get("medical_docs", [])]
    if "exp_file" in ctx.answers:
        files.append(ctx.answers["exp_file"])
    return {f["sha256"] for f in files}


def show_date(value: str) -> str:
    return describe_date(date.fromisoformat(value))


def show_amount(value: str) -> str:
    return format_amount(Decimal(value))


def short_name(name: str, limit: int = 70) -> str:
    """A catalogue name fit for a button: its first sentence, cut at a word if still long."""
    first = re.split(r"\.\s+(?=[A-ZÀ-Ü])", name, maxsplit=1)[0].rstrip(".")
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
