"""`medbot estimate`: how much a service would be reimbursed, for scripts and the back office."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import click

from nlu.intents import Parsed

__all__ = ["estimate_command"]


@click.command("estimate")
@click.option("--customer", "fiscal_code", required=True,
              help="Codice fiscale del cliente (titolare di polizza).")
@click.option("--service", required=True, help="La prestazione, come sulla prescrizione.")
@click.option("--amount", type=Decimal, required=True, help="L'importo della fattura in euro.")
@click.option("--person", help="Nome di chi fa la prestazione (se manca, il cliente).")
def estimate_command(fiscal_code: str, service: str, amount: Decimal,
                     person: str | None) -> None:
    """Stima del rimborso di una prestazione con ogni polizza che la copre, tenendo conto di
    quanto la persona ha già usato nell'anno di polizza (richieste pagate e in valutazione)."""
    if amount <= 0:
        raise click.BadParameter("l'importo deve essere maggiore di zero", param_hint="--amount")

    async def run() -> str:
        from bot.config import get_settings
        from bot.runtime import Runtime
        from bot.services import PortalServices
        from bot.sms import sms_sender
        from dialogs import estimate
        from nlu.catalogue import load_catalogue

        runtime = await Runtime.open(get_settings())
        try:
            store = runtime.store
            customer = await store.customer_by_fiscal_code(fiscal_code)
            if customer is None:
                raise click.ClickException(
                    "nessun cliente (titolare di polizza) con questo codice fiscale")
            household = await store.household(customer.id)
            if person is not None and not any(
                    m.first_name.casefold() == person.strip().casefold()
                    for m in household.members):
                names = ", ".join(m.first_name for m in household.members)
                raise click.ClickException(f"nessun {person!r} nella famiglia: {names}")
            services = PortalServices(load_catalogue(), store, sms_sender(runtime.settings),
                                      runtime.clock.now)
            entities: dict[str, object] = {"service": service, "amount": amount}
            if person is not None:
                entities["person"] = person.strip()
            levels = estimate.ServiceLevels(**runtime.settings.service_levels)
            return await estimate.answer("estimate", Parsed("coverage", entities, 1.0),
                                         household, runtime.clock.today(), services, levels)
        finally:
            await runtime.close()

    click.echo(asyncio.run(run()))
