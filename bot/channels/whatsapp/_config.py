"""What the WhatsApp channel needs from the settings, checked once."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.config import Settings

__all__ = ["WhatsAppConfig"]


@dataclass(frozen=True, slots=True)
class WhatsAppConfig:
    token: str
    phone_number_id: str
    app_secret: str
    verify_token: str
    api_url: str = "https://graph.facebook.com/v21.0"
    # Message kind -> approved template name, for messages outside the 24-hour window.
    templates: dict[str, str] = field(default_factory=dict)
    template_language: str = "it"

    @classmethod
    def from_settings(cls, settings: Settings) -> WhatsAppConfig:
        missing = [name for name, value in (
            ("MEDBOT_WHATSAPP_TOKEN", settings.whatsapp_token),
            ("MEDBOT_WHATSAPP_PHONE_NUMBER_ID", settings.whatsapp_phone_number_id),
            ("MEDBOT_WHATSAPP_APP_SECRET", settings.whatsapp_app_secret),
            ("MEDBOT_WHATSAPP_VERIFY_TOKEN", settings.whatsapp_verify_token),
        ) if not value]
        if missing:
            raise ValueError("WhatsApp needs " + ", ".join(missing))
        assert settings.whatsapp_token and settings.whatsapp_app_secret
        assert settings.whatsapp_verify_token and settings.whatsapp_phone_number_id
        return cls(
            token=settings.whatsapp_token.get_secret_value(),
            phone_number_id=settings.whatsapp_phone_number_id,
            app_secret=settings.whatsapp_app_secret.get_secret_value(),
            verify_token=settings.whatsapp_verify_token.get_secret_value(),
            api_url=settings.whatsapp_api_url.rstrip("/"),
            templates=dict(settings.whatsapp_templates),
            template_language=settings.whatsapp_template_language,
        )
