"""`medbot rasa-actions`: the custom-action server for an existing Rasa assistant."""

from __future__ import annotations

import click

from bot.config import get_settings
from bot.logs import configure_logging


@click.command("rasa-actions")
@click.option("--port", default=5055, show_default=True, help="Porta del server delle azioni.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Indirizzo su cui ascoltare (0.0.0.0 per tutte le interfacce).")
def rasa_actions_command(port: int, host: str) -> None:
    """Server delle azioni personalizzate per un assistente Rasa (action_medbot)."""
    try:
        from bot.channels.rasa import MissingToken, run
    except ImportError as exc:
        raise click.ClickException(
            "Manca rasa-sdk: installa medbot con l'extra «rasa» (pip install -e '.[rasa]')."
        ) from exc
    settings = get_settings()
    # bot.logs keeps httpx at warnings: an attachment's address names the file and may carry
    # the file store's signed query string.
    configure_logging(settings)
    try:
        run(settings, host, port)
    except MissingToken as exc:
        raise click.ClickException(
            "Manca MEDBOT_RASA_ACTIONS_TOKEN: il server delle azioni risponde solo a Rasa, "
            "che deve mandare questo token (vedi il README, sezione Rasa)."
        ) from exc
