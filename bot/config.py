"""Settings from the environment (MEDBOT_*) and .env: where data lives, which database."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Literal

from bot.env_settings import EnvSettings, SecretStr

__all__ = ["SecretStr", "Settings", "get_settings"]


class Settings(EnvSettings):
    """Each setting is read from MEDBOT_<NAME> (any case), or .env, else its default."""

    env_prefix = "MEDBOT_"

    # Working data: the embedded database and the documents folder.
    home: Path = Path("./var")
    # SQLAlchemy async URL; None means the SQLite file in `home`.
    database_url: str | None = None
    # How customers reach a person, said when the bot can't help.
    support_contact: str = "chiama il Servizio Clienti al numero indicato nella tua Area Clienti"
    # The customer of `medbot chat` when no --customer is given: the demo policyholder.
    console_customer: str = "RSSMRA75D12H501J"
    # How long things usually take, in working days, said to "quanto ci mettete?": JSON, e.g.
    # MEDBOT_SERVICE_LEVELS='{"reimbursement_days": 20, "payment_days": 10, "direct_days": 3}'.
    service_levels: dict[str, int] = {}
    # Fixes "today" (YYYY-MM-DD) for demos and reproducible tests; None means the real day.
    today: date | None = None
    timezone: str = "Europe/Rome"

    # Telegram: the bot's token from @BotFather; the Bot API base URLs (the token is appended;
    # point them at a local Bot API server if you run one).
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"
    # Webhook mode (`medbot serve`): the public HTTPS URL of /telegram/webhook and the secret
    # Telegram sends back in X-Telegram-Bot-Api-Secret-Token (1-256 of A-Z a-z 0-9 _ -).
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    # SMS for verification codes: "console" writes them to the log (development only),
    # "http" posts {to, text} as JSON to `sms_url` with `sms_token` as a bearer token.
    sms_provider: Literal["console", "http"] = "console"
    sms_url: str | None = None
    sms_token: SecretStr | None = None

    # WhatsApp Cloud API (`medbot serve`): the access token, the business number's id, the
    # app secret that signs webhooks (X-Hub-Signature-256), the token Meta echoes when the
    # webhook is verified, and the Graph API base (point it at a local server for tests).
    whatsapp_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_url: str = "https://graph.facebook.com/v21.0"
    # Approved templates for messages the bot starts outside the 24-hour window: the message
    # kind (e.g. "status_changed") -> template name, as JSON; and the templates' language.
    whatsapp_templates: dict[str, str] = {}
    whatsapp_template_language: str = "it"

    # Back office (`medbot serve`, /api/v1): the bearer token operators' tools send; without
    # one the API is not served.
    api_token: SecretStr | None = None
    # Documents are sealed (AES-256-GCM) with this key: 32 bytes in base64 (`medbot documents
    # new-key`). Without it, a development key in `home` (document.key) is used, and created.
    document_key: SecretStr | None = None
    # Earlier keys, comma-separated, still read (rotation: see `medbot documents rekey`).
    document_old_keys: SecretStr | None = None
    # Where documents are kept: `files` in home, or `database` (replicas: every one reads
    # what another received).
    document_storage: Literal["files", "database"] = "files"
    # Reminders wait out the night (Italian time): none from `quiet_start` to `quiet_end`.
    quiet_start: time = time(20, 30)
    quiet_end: time = time(8, 30)
    # How often the reminder loop looks for due messages, in seconds.
    reminders_every: float = 60.0
    # How long reading a receipt (a photo's OCR, a PDF's text) may take before the bot asks
    # its date, amount and number instead, in seconds.
    receipt_read_seconds: float = 8.0
    # Log lines as text for people, or one JSON object a line for a log collector.
    log_format: Literal["text", "json"] = "text"

    # Voice notes (the `voice` extra): a directory of CTranslate2 Whisper weights, or a model
    # name faster-whisper fetches where the machine reaches its hub (e.g.
    # "Systran/faster-whisper-small"); unset, the base weights the extra installs. Notes
    # longer than `voice_max_seconds` are not listened to; one that takes longer than
    # `speech_timeout` seconds to transcribe is given up (the customer is asked to write).
    speech_model: str | None = None
    speech_timeout: float = 20.0
    voice_max_seconds: int = 120
    # Decoding choices, measured with `medbot eval voice` (see bot/speech).
    speech_beam_size: int = 5
    speech_vad: bool = False
    speech_prompt: bool = True

    def document_keys(self) -> tuple[str | None, list[str]]:
        """The current document key (None: the development key) and the older ones."""
        current = self.document_key.get_secret_value() if self.document_key else None
        old = self.document_old_keys.get_secret_value() if self.document_old_keys else ""
        return current or None, [k.strip() for k in old.split(",") if k.strip()]

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.home}/medbot.sqlite3"


def get_settings() -> Settings:
    """Read afresh each call: cheap, and tests can change the environment."""
    return Settings()
