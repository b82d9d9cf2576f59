"""The messages in the conversation's language, from the values stored with each notice."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.outbound import Outbound
from bot.reminders._texts import t
from dialogs.events import Reply
from nlu.language import babel_locale
from portal.notifications import Notification

__all__ = ["render"]

FLOWS = ("rimborso", "diretta", "documenti")  # those with a name in reminders_it.toml


def _day(iso: str | None) -> str:
    return format_date(date.fromisoformat(iso), "d MMMM y", locale=babel_locale()) if iso else ""


def _missing(items: Iterable[str]) -> str:
    """The documents by name: a kind ("prescrizione") from the [documents] table, a
    description as the insurer wrote it."""
    names = [_document(i) for i in items]
    joiner = f" {t('documents.and')} "
    return joiner.join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def _document(item: str) -> str:
    try:
        return t(f"documents.{item}")
    except KeyError:
        return item.replace("_", " ")


def render(n: Notification) -> Outbound:
    """The message in Italian, from the values stored with the notice."""
    p = n.payload
    if n.kind == "status_changed":
        status = p["status"]
        amount = p.get("amount_paid")
        valid = t("status_changed.valid_until", day=_day(p.get("valid_until"))) \
            if p.get("valid_until") else ""
        what = t(f"status_changed.{status}", missing=_missing(p.get("missing", [])),
                 deadline=_day(p.get("deadline")), reason=p.get("reason", ""),
                 amount=f"€ {format_decimal(Decimal(amount), '#,##0.00', locale=babel_locale())}"
                 if amount else "", paid_on=_day(p.get("paid_on")),
                 code=p.get("authorisation_code") or "", valid=valid)
        text = f"{t('status_changed.intro', **p)} {what}\n\n{t('status_changed.off')}"
    elif n.kind == "documents_missing":
        key = "documents_missing.deadline" if p.get("last_call") else "documents_missing.text"
        text = t(key, number=p["number"], service=p["service"],
                 missing=_missing(p["missing"]), deadline=_day(p["deadline"]))
        text += "\n\n" + t("footer.reminders_off")
    elif n.kind == "appointment":
        when = t("appointment.when_time", time=p["time"]) if p.get("time") \
            else t("appointment.when")
        text = t("appointment.text", when=when, service=p["service"], facility=p["facility"],
                 address=p["address"], code=p["code"])
    elif n.kind == "checkup":
        who = t("checkup.you") if p["holder"] else t("checkup.person", name=p["person"])
        text = t("checkup.text", guarantee=p["guarantee"], who=who, until=_day(p["until"]))
        text += "\n\n" + t("footer.reminders_off")
    elif n.kind == "unfinished":
        what = t(f"unfinished.flow_{p['flow']}") if p["flow"] in FLOWS else t("unfinished.flow")
        text = t("unfinished.expired" if p.get("expired") else "unfinished.text", what=what)
        text += "\n\n" + t("footer.reminders_off")
    else:
        text = t(f"{n.kind}.text", **p) + "\n\n" + t("footer.reminders_off")
    return Outbound(n.kind, Reply(text))


