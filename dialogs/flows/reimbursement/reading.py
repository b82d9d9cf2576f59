"""What a receipt says, kept aside in the answers until the customer confirms it: each field read
with the reader's confidence, the checks that it is plausible (the day, the total against its
lines, whose codice fiscale, already sent), and the sentence that says it back."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from typing import Any

from dialogs.events import Inbound
from dialogs.flows.common import accept_upload, keep_checked, show_amount, show_date
from dialogs.flows.parts.answers import and_list
from dialogs.steps import Context, Early, Invalid
from dialogs.texts import t
from nlu.catalogue import CONFIDENT
from nlu.language import babel_locale
from nlu.receipts import Found, Receipt

# A field read with at least this confidence is said back for a confirmation with the others;
# below it, the field is asked as if nothing had been read. The reader gives text-layer PDFs
# ~0.95 and clean photos 0.8-0.9; a guess among several candidates (a total among subtotals
# that do not add up, a date without a label) comes lower and is better asked than confirmed
# by a distracted «Sì».
CONFIDENT_READ = 0.8
# The fields the customer confirms, and the question that asks each when it is not confirmed.
FIELDS = {"date": "exp_date", "amount": "exp_amount", "number": "exp_number"}
# A receipt's total is its lines plus, often, the marca da bollo (€ 2,00 above € 77,47).
MARCA_DA_BOLLO = Decimal("2.00")
# Service lines matched against the catalogue (the first ones name the service).
LINES_MATCHED = 3


def reading_of(ctx: Context, receipt: Receipt) -> dict[str, Any] | None:
    """The receipt as JSON answers (None when it gives none of date, total, number). Only what
    the conversation uses is kept: no line text beyond the services recognised in it."""
    if not receipt.anything:
        return None
    reading: dict[str, Any] = {}
    fields: tuple[tuple[str, Found[Any] | None], ...] = (
        ("date", receipt.date), ("amount", receipt.total), ("number", receipt.number))
    for name, found in fields:
        if found is not None:
            value = found.value.isoformat() if name == "date" else str(found.value)
            reading[name] = {"value": value, "confidence": float(found.confidence)}
    for name, found in (("issuer", receipt.issuer), ("vat", receipt.vat_number),
                        ("patient", receipt.patient_tax_code)):
        if found is not None and found.confidence >= CONFIDENT_READ:
            reading[name] = str(found.value)
    amounts = [line.amount for line in receipt.lines]
    if amounts and all(a is not None for a in amounts):
        reading["lines_total"] = str(sum((a for a in amounts if a is not None), Decimal(0)))
    services = []
    for line in receipt.lines[:LINES_MATCHED]:
        matches = ctx.services.find_services(line.description, limit=5)
        if matches and matches[0].confidence >= CONFIDENT:
            best = matches[0]
            services.append({"code": best.code, "kind": best.kind, "name": best.name,
                             "line": line.description[:200]})
    if services:
        reading["services"] = services
    return reading


def sure(reading: dict[str, Any] | None, name: str) -> str | None:
    """A field's value when it was read with confidence (or said by the customer)."""
    field = (reading or {}).get(name)
    if not field or field["confidence"] < CONFIDENT_READ:
        return None
    return str(field["value"])


def date_problem(ctx: Context, day: str) -> str:
    """Why a day read cannot be this request's receipt date, kindly said ("" when it can)."""
    read = date.fromisoformat(day)
    if read > ctx.today:
        return t("reimbursement.receipt.date_future", day=show_date(day))
    year = ctx.answers.get("year")
    if year is not None and read.year != year:
        return t("reimbursement.receipt.date_wrong_year", day=show_date(day), year=year,
                 read_year=read.year)
    return ""


def proposal(ctx: Context) -> dict[str, str]:
    """Field -> value for the fields said back for a confirmation: read with confidence and
    plausible. The others are asked."""
    reading = ctx.answers.get("exp_reading")
    found = {}
    for name in FIELDS:
        value = sure(reading, name)
        if value is not None and not (name == "date" and date_problem(ctx, value)):
            found[name] = value
    return found


def said_back(ctx: Context) -> str:
    """«Ho letto: documento n. 118/2026 del 12 marzo 2026, € 85,00, Studio Oculistico Bianchi.»
    with the warnings and the fields that will be asked."""
    reading = ctx.answers["exp_reading"]
    found = proposal(ctx)
    head = t("reimbursement.receipt.document")
    if found.get("number"):
        head += " " + t("reimbursement.receipt.number", number=found["number"])
    if "date" in found:
        head += " " + t("reimbursement.receipt.date", day=as_printed(found["date"]))
    parts = [head] if found.keys() & {"number", "date"} else []
    if "amount" in found:
        parts.append(show_amount(found["amount"]))
    if reading.get("issuer"):
        parts.append(reading["issuer"])
    said = any(reading.get(n, {}).get("said") for n in FIELDS)
    lines = [t("reimbursement.receipt.read_again" if said else "reimbursement.receipt.read",
               what=", ".join(parts))] if parts else []
    lines += warnings(ctx)
    doubtful = [t(f"reimbursement.receipt.field_{n}") for n in FIELDS if n not in found]
    if doubtful:
        key = "doubtful_one" if len(doubtful) == 1 else "doubtful_many"
        lines.append(t(f"reimbursement.receipt.{key}", what=and_list(doubtful)))
    return "\n\n".join(lines)


def as_printed(day: str) -> str:
    """A day as a receipt prints it, in words: "12 marzo 2026" (no weekday), in the turn's
    language."""
    from babel.dates import format_date  # as nlu.dates: imported on first use

    return format_date(date.fromisoformat(day), "d MMMM y", locale=babel_locale())


def warnings(ctx: Context) -> list[str]:
    """What does not add up, said kindly: the day, the total against its lines, the patient."""
    reading = ctx.answers["exp_reading"]
    said: list[str] = []
    day = sure(reading, "date")
    if day is not None and date_problem(ctx, day):
        said.append(date_problem(ctx, day))
    amount = sure(reading, "amount")
    lines = reading.get("lines_total")
    if amount is not None and lines is not None and not reading["amount"].get("said"):
        total, summed = Decimal(amount), Decimal(lines)
        if total not in (summed, summed + MARCA_DA_BOLLO):
            said.append(t("reimbursement.receipt.lines_mismatch", lines=show_amount(lines),
                          total=show_amount(amount)))
    patient = reading.get("patient")
    beneficiary = ctx.answers.get("beneficiary")
    if patient and beneficiary is not None:
        person = ctx.household.member(beneficiary)
        if patient.upper() != person.fiscal_code.upper():
            other = next((m for m in ctx.household.members
                          if m.fiscal_code.upper() == patient.upper()), None)
            if other is not None:
                said.append(t("reimbursement.receipt.other_person", patient=other.full_name,
                              beneficiary=person.full_name, first=other.first_name))
            else:
                said.append(t("reimbursement.receipt.not_household",
                              beneficiary=person.full_name))
    return said


async def take_receipt(ctx: Context, inbound: Inbound) -> dict[str, Any] | Invalid:
    """Keeps a receipt and reads it: the answers to set (the file, what was read, the same
    receipt already sent), or why the file was refused."""
    checked = accept_upload(ctx, inbound)
    if isinstance(checked, Invalid):
        return checked
    # Written and read at once: each waits on a thread of its own (the disk's flush, the
    # reader), and the turn needs both.
    stored, receipt = await asyncio.gather(
        keep_checked(ctx, checked), ctx.services.read_receipt(checked.data, checked.mime_type))
    reading = reading_of(ctx, receipt) if receipt is not None else None
    sent = await sent_before(ctx, stored["sha256"], reading)
    return {"exp_file": stored, "exp_reading": reading, "exp_sent": sent or None,
            "exp_sent_ok": None, "exp_read_ok": None}


async def sent_before(ctx: Context, sha256: str,
                      reading: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The same receipt already given: in another request of the household (the same file, or
    the same number, day and issuer) or earlier in this one (the same number and day)."""
    number, day = sure(reading, "number"), sure(reading, "date")
    found = await ctx.services.sent_expenses(
        ctx.household.customer.id, sha256=sha256, number=number,
        expense_date=date.fromisoformat(day) if day else None,
        issuer_vat=(reading or {}).get("vat"))
    sent = [{"request": f.request_number, "same_file": f.same_file, "number": f.number or "",
             "date": f.expense_date.isoformat() if f.expense_date else None} for f in found]
    if number and day:
        for n, expense in enumerate(ctx.get("expenses", []), start=1):
            if _same_number(expense.get("number"), number) and expense.get("date") == day:
                sent.append({"request": None, "item": n, "same_file": False,
                             "number": number, "date": day})
    return sent


def _same_number(a: str | None, b: str | None) -> bool:
    return bool(a and b) and "".join(a.split()).casefold() == "".join(b.split()).casefold()


def sent_text(sent: dict[str, Any]) -> str:
    """One receipt already given, in words."""
    if sent.get("request") is None:
        return t("reimbursement.receipt.sent_here", n=sent["item"])
    if sent["same_file"]:
        return t("reimbursement.receipt.sent_same_file", request=sent["request"])
    return t("reimbursement.receipt.sent_same_number", request=sent["request"],
             number=sent["number"], day=show_date(sent["date"]) if sent["date"] else "")


async def early_receipt(ctx: Context, inbound: Inbound) -> Early | Invalid | None:
    """A receipt sent before the documents are asked (at the menu, or at the first questions):
    kept as the first expense document, and what it says answers the questions still open (the
    year from its date, the person from the patient's codice fiscale, the service from its
    lines). None once a document is being given: the file is not for now."""
    if "exp_file" in ctx.answers or ctx.get("expenses") or ctx.answers.get("expenses_done"):
        return None
    taken = await take_receipt(ctx, inbound)
    if isinstance(taken, Invalid):
        return taken
    reading = taken["exp_reading"] or {}
    typed: dict[str, str] = {}
    day = sure(reading, "date")
    if day is not None and date.fromisoformat(day) <= ctx.today:
        typed["year"] = day[:4]
    patient = str(reading.get("patient", "")).upper()
    person = next((m for m in ctx.household.members if m.fiscal_code.upper() == patient), None)
    if person is not None:
        typed["beneficiary"] = person.full_name
    if reading.get("services"):
        # The line searched as if typed, then its best match picked among the candidates.
        typed["service_query"] = reading["services"][0]["line"]
        typed["service"] = reading["services"][0]["name"]
    key = "kept" if reading else "kept_unread"
    return Early(t(f"reimbursement.receipt.{key}"), taken, typed)
