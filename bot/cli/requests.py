"""`medbot requests ...`: the archive of requests, readable (Italian dates, euro) or as JSON."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import click
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from bot.cli.db import open_store
from bot.sms import mask_phone
from portal.models import DocumentKind, Household, Person, Request, StatusDetails
from portal.statuses import TransitionError
from portal.store import NotFound, Store

__all__ = ["requests_group"]

LOCALE = "it_IT"
TIMEZONE = "Europe/Rome"

TYPES = {"rimborso": "Rimborso", "diretta": "Prestazione diretta"}
STATUSES = {
    "inviata": "Inviata",
    "in_lavorazione": "In lavorazione",
    "sospesa": "Sospesa",
    "in_attesa_autorizzazione": "In attesa di autorizzazione",
    "autorizzata": "Autorizzata",
    "non_autorizzata": "Non autorizzata",
    "valutata": "Valutata",
    "erogata": "Erogata",
    "chiusa": "Chiusa",
    "liquidata": "Liquidata",
    "respinta": "Respinta",
    "annullata": "Annullata",
}
DOCUMENT_KINDS = {
    "spesa": "Documento di spesa",
    "prescrizione": "Prescrizione medica",
    "referto": "Referto",
    "cartella_clinica": "Cartella clinica",
    "altro": "Altro documento",
}


# -- masking ------------------------------------------------------------------------------
# What identifies a customer is shown in part unless an operator asks (--unmasked): enough to
# tell records apart, not enough to copy.


def mask_fiscal_code(cf: str) -> str:
    return cf[:3] + "•" * max(len(cf) - 4, 0) + cf[-1:] if len(cf) > 4 else "•" * len(cf)


def mask_iban(iban: str | None) -> str | None:
    if not iban:
        return iban
    compact = iban.replace(" ", "")
    return compact[:2] + "•" * max(len(compact) - 6, 0) + compact[-4:]


def mask_email(email: str | None) -> str | None:
    if not email or "@" not in email:
        return email
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def mask_mobile(mobile: str | None) -> str | None:
    return mask_phone(mobile) if mobile else mobile


def _masked(request: Request) -> Request:
    return dataclasses.replace(request, iban=mask_iban(request.iban),
                               email=mask_email(request.email) or "",
                               mobile=mask_mobile(request.mobile))


# -- formatting ---------------------------------------------------------------------------


def _day(value: date | None) -> str:
    return format_date(value, "d MMMM y", locale=LOCALE) if value else "-"


def _moment(value: datetime | None) -> str:
    if value is None:
        return "-"
    return format_datetime(value, "d MMMM y, HH:mm", tzinfo=ZoneInfo(TIMEZONE), locale=LOCALE)


def _money(value: Decimal | None) -> str:
    return (
        f"€ {format_decimal(value, format='#,##0.00', locale=LOCALE)}" if value is not None else "-"
    )


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} byte"
    return f"{format_decimal(n / 1024, format='#,##0.0', locale=LOCALE)} kB"


def _name(household: Household, person_id: int | None) -> str:
    if person_id is None:
        return "-"
    person = next((m for m in household.members if m.id == person_id), None)
    return person.full_name if person else f"persona {person_id}"


def _label(labels: dict[str, str], value: str) -> str:
    return labels.get(value, value)


def _rows(pairs: Iterable[tuple[str, str]], indent: str = "  ") -> list[str]:
    pairs = list(pairs)
    width = max(len(k) for k, _ in pairs)
    return [f"{indent}{k.ljust(width)}  {v}" for k, v in pairs]


def _table(header: list[str], body: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *body]
    ]


def _list_text(customer: Person, household: Household, found: list[Request],
               unmasked: bool = False) -> list[str]:
    cf = customer.fiscal_code if unmasked else mask_fiscal_code(customer.fiscal_code)
    title = f"{customer.full_name} ({cf}): {len(found)} richieste"
    if not found:
        return [title]
    body = [
        [
            r.number,
            _day(_local_date(r.created_at)),
            _label(TYPES, r.type),
            _name(household, r.beneficiary_id),
            f"{r.service_code} {r.service_name}",
            _label(STATUSES, r.status),
        ]
        for r in found
    ]
    header = ["Numero", "Inviata il", "Tipo", "Beneficiario", "Prestazione", "Stato"]
    return [title, *_table(header, body)]


def _local_date(value: datetime) -> date:
    return value.astimezone(ZoneInfo(TIMEZONE)).date()


async def _show_text(store: Store, request: Request, unmasked: bool = False) -> list[str]:
    household = await store.household(request.customer_id)
    policy = next((p for p in household.policies if p.id == request.policy_id), None)
    guarantee = next(
        (g for p in household.policies for g in p.guarantees if g.id == request.guarantee_id), None
    )
    facility = await store.facility(request.facility_id) if request.facility_id else None
    where = "-"
    if facility is not None:
        where = ", ".join(x for x in (facility.name, facility.address, facility.town) if x)
    elif request.facility_text:
        where = request.facility_text
    customer = household.customer
    cf = customer.fiscal_code if unmasked else mask_fiscal_code(customer.fiscal_code)
    if not unmasked:
        request = _masked(request)
    lines = [f"Richiesta {request.number}"]
    lines += _rows(
        [
            ("Stato", _label(STATUSES, request.status)),
            ("Tipo", _label(TYPES, request.type)),
            ("Cliente", f"{customer.full_name} ({cf})"),
            ("Beneficiario", _name(household, request.beneficiary_id)),
            ("Anno della prestazione", str(request.year)),
            ("Prestazione", f"{request.service_code} {request.service_name}"),
            ("Catalogo", request.catalogue_kind),
            ("Polizza", f"{policy.name} n. {policy.number}" if policy else str(request.policy_id)),
            ("Garanzia", f"{guarantee.name} ({guarantee.code})" if guarantee else "-"),
            ("Intestatario del rimborso", _name(household, request.payee_id)),
            ("Autorizzazione al familiare", "sì" if request.payee_authorised else "no"),
            ("IBAN", request.iban or "-"),
            ("Email", request.email),
            ("Cellulare", request.mobile or "-"),
            ("Struttura", where),
            ("Medico", request.doctor or "-"),
            ("Appuntamento", _moment(request.appointment)),
            ("Date preferite", ", ".join(_day(d) for d in request.preferred_dates) or "-"),
            ("Note", request.notes or "-"),
            ("Inviata il", _moment(request.created_at)),
            ("Aggiornata il", _moment(request.updated_at)),
            ("Chiave di invio", request.submission_key or "-"),
        ]
    )
    lines.append(f"Documenti ({len(request.documents)})")
    for i, d in enumerate(request.documents, start=1):
        lines.append(f"  {i}. {_label(DOCUMENT_KINDS, d.kind)}: {d.filename}")
        lines += _rows(
            [
                ("Tipo file", f"{d.mime_type}, {_size(d.size)}"),
                ("Data", _day(d.expense_date)),
                ("Importo", _money(d.amount)),
                ("Numero", d.number or "-"),
                ("Emesso da", d.issuer or "-"),
                ("SHA-256", d.sha256),
            ],
            indent="     ",
        )
    lines.append("Stato della richiesta")
    for change in request.history:
        note = f": {change.note}" if change.note else ""
        lines.append(
            f"  {_moment(change.at)}  {_label(STATUSES, change.status)} ({change.by}){note}"
        )
    return lines


# -- JSON ---------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def _json(value: Any) -> str:
    return json.dumps(value, default=_plain, ensure_ascii=False, indent=2, sort_keys=True)


def _request_dict(request: Request, unmasked: bool = False) -> dict[str, Any]:
    return dataclasses.asdict(request if unmasked else _masked(request))


# -- commands -----------------------------------------------------------------------------


async def _ready_store() -> Store:
    store = await open_store()
    if await store.schema_revision() is None:
        await store.close()
        raise click.ClickException("database vuoto: esegui prima `medbot db init --demo`")
    return store


@click.group("requests")
def requests_group() -> None:
    """L'archivio delle richieste."""


@requests_group.command("list")
@click.option("--customer", "fiscal_code", help="Codice fiscale del cliente (titolare).")
@click.option("--json", "as_json", is_flag=True, help="Stampa JSON stabile.")
@click.option("--unmasked", is_flag=True,
              help="Mostra per intero codice fiscale, IBAN, email e cellulare (operatori).")
def list_command(fiscal_code: str | None, as_json: bool, unmasked: bool) -> None:
    """Le richieste di un cliente (o di tutti), dalla più recente."""

    async def run() -> str:
        store = await _ready_store()
        try:
            if fiscal_code is not None:
                customer = await store.customer_by_fiscal_code(fiscal_code)
                if customer is None:
                    raise click.ClickException(
                        "nessun cliente (titolare di polizza) con questo codice fiscale"
                    )
                customers = [customer]
            else:
                customers = await store.customers()
            if as_json:
                everything = [
                    _request_dict(r, unmasked)
                    for c in customers for r in await store.list_requests(c.id)
                ]
                return _json(everything)
            blocks = []
            for c in customers:
                household = await store.household(c.id)
                found = await store.list_requests(c.id)
                blocks.append("\n".join(_list_text(c, household, found, unmasked)))
            return "\n\n".join(blocks) if blocks else "Nessun cliente."
        finally:
            await store.close()

    click.echo(asyncio.run(run()))


@requests_group.command("show")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="Stampa JSON stabile.")
@click.option("--unmasked", is_flag=True,
              help="Mostra per intero codice fiscale, IBAN, email e cellulare (operatori).")
def show_command(number: str, as_json: bool, unmasked: bool) -> None:
    """Una richiesta: ogni campo, i documenti e la storia degli stati (codice fiscale, IBAN,
    email e cellulare in parte nascosti, se non si chiede --unmasked)."""

    async def run() -> str:
        store = await _ready_store()
        try:
            request = await store.get_request(number.strip())
            if request is None:
                raise click.ClickException(f"richiesta {number} non trovata")
            if as_json:
                return _json(_request_dict(request, unmasked))
            return "\n".join(await _show_text(store, request, unmasked))
        finally:
            await store.close()

    click.echo(asyncio.run(run()))


@requests_group.command("set-status")
@click.argument("number")
@click.argument("status")
@click.option("--reason", default="", help="Motivo (respinta, non_autorizzata).")
@click.option("--amount", type=Decimal, help="Importo liquidato (liquidata).")
@click.option("--claimed", type=Decimal,
              help="Importo richiesto dal cliente (liquidata; se manca, i documenti di spesa).")
@click.option("--scoperto", type=Decimal, help="Quanto è stato tolto di scoperto (liquidata).")
@click.option("--franchigia", type=Decimal, help="Quanto è stato tolto di franchigia.")
@click.option("--over-limit", type=Decimal,
              help="Quanto è oltre il massimale o i limiti di sedute (liquidata).")
@click.option("--not-covered", type=Decimal, help="Spese non coperte dalla polizza (liquidata).")
@click.option("--paid-on", type=click.DateTime(["%Y-%m-%d"]),
              help="Data del pagamento (liquidata; se manca, oggi).")
@click.option("--missing", help='Documenti mancanti, separati da virgole (sospesa).')
@click.option("--deadline", type=click.DateTime(["%Y-%m-%d"]),
              help="Entro quando inviarli (sospesa).")
@click.option("--auth-code", help="Codice di autorizzazione (autorizzata).")
@click.option("--valid-until", type=click.DateTime(["%Y-%m-%d"]),
              help="Validità dell'autorizzazione.")
@click.option("--note", default="", help="Nota nella storia della richiesta.")
@click.option("--by", "by", default="operatore", show_default=True,
              help="Chi fa il cambio (resta nella storia).")
def set_status_command(number: str, status: str, reason: str, amount: Decimal | None,
                       claimed: Decimal | None, scoperto: Decimal | None,
                       franchigia: Decimal | None, over_limit: Decimal | None,
                       not_covered: Decimal | None, paid_on: datetime | None, missing: str | None,
                       deadline: datetime | None, auth_code: str | None,
                       valid_until: datetime | None, note: str, by: str) -> None:
    """Cambia lo stato della richiesta NUMBER in STATUS (con le regole del portale) e avvisa
    il cliente."""
    today = datetime.now(ZoneInfo(TIMEZONE)).date()
    details = StatusDetails(
        missing_documents=tuple(m.strip() for m in (missing or "").split(",") if m.strip()),
        deadline=deadline.date() if deadline else None,
        amount_paid=amount,
        paid_on=(paid_on.date() if paid_on else today) if amount is not None else None,
        scoperto=scoperto,
        franchigia=franchigia,
        over_limit=over_limit,
        not_covered=not_covered,
        reason=reason.strip(),
        authorisation_code=auth_code,
        valid_until=valid_until.date() if valid_until else None,
    )

    async def run() -> str:
        store = await _ready_store()
        try:
            before = await store.get_request(number.strip())
            if before is None:
                raise click.ClickException(f"richiesta {number} non trovata")
            given = _with_breakdown(details, before, claimed)
            changed = await store.change_status(number.strip(), status.strip(), by=by,
                                                note=note, details=given)
        except NotFound as exc:
            raise click.ClickException(f"richiesta {number} non trovata") from exc
        except TransitionError as exc:
            raise click.ClickException(f"cambio di stato rifiutato: {exc}") from exc
        finally:
            await store.close()
        return (f"Richiesta {changed.number}: {_label(STATUSES, before.status)} -> "
                f"{_label(STATUSES, changed.status)} ({by}). Il cliente sarà avvisato.")

    click.echo(asyncio.run(run()))


def _with_breakdown(details: StatusDetails, request: Request,
                    claimed: Decimal | None) -> StatusDetails:
    """A payment's breakdown: the amount asked (given, or the expense documents' total), and
    what was taken off it must add up to the difference with what is paid."""
    if details.amount_paid is None:
        return details
    if claimed is None:
        spent = [d.amount for d in request.documents
                 if d.kind == DocumentKind.EXPENSE and d.amount is not None]
        claimed = sum(spent, Decimal(0)) if spent else None
    taken = sum((v for v in (details.scoperto, details.franchigia, details.over_limit,
                             details.not_covered) if v), Decimal(0))
    if claimed is not None and taken and details.amount_paid + taken != claimed:
        raise click.ClickException(
            f"le detrazioni ({taken}) non tornano: richiesti {claimed}, liquidati "
            f"{details.amount_paid}, differenza {claimed - details.amount_paid}")
    return dataclasses.replace(details, amount_claimed=claimed)
