"""nlu.identifiers: IBAN, email, mobile, codice fiscale, partita IVA, with exact Italian errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nlu.identifiers import (
    MESSAGES,
    IdentifierError,
    format_iban,
    format_mobile,
    mask_iban,
    parse_email,
    parse_fiscal_code,
    parse_iban,
    parse_mobile,
    parse_vat,
)

IBAN = "IT60X0542811101000000123456"
# The same account with a wrong CIN but check digits recomputed: only the CIN check catches it.
IBAN_WRONG_CIN = "IT64Y0542811101000000123456"


def _code(parse: Callable[[str], str], text: str) -> str:
    """The error code `parse` refuses `text` with (its message is the exception's text)."""
    with pytest.raises(IdentifierError) as raised:
        parse(text)
    assert str(raised.value) == raised.value.message
    return raised.value.code


@pytest.mark.parametrize(
    "text",
    [
        IBAN,
        "IT60 X054 2811 1010 0000 0123 456",
        "it60x0542811101000000123456",
        "IBAN: IT60-X054-2811-1010-0000-0123-456",
        " it60 x054 2811 1010 0000 0123 456 ",
    ],
)
def test_iban_accepted(text: str) -> None:
    assert parse_iban(text) == IBAN


def test_foreign_iban_checked_by_its_own_rules() -> None:
    assert parse_iban("DE89 3704 0044 0532 0130 00") == "DE89370400440532013000"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "iban_missing"),
        ("IT60 X054 2811 1010 0000 0123 45", "iban_length_it"),
        ("IT61X0542811101000000123456", "iban_checksum"),
        (IBAN_WRONG_CIN, "iban_cin"),
        ("IT6012542811101000000123456", "iban_structure_it"),
        ("XX60X0542811101000000123456", "iban_country"),
        ("60X0542811101000000123456", "iban_country_missing"),
        ("IT60X05428111010000001234€6", "iban_characters"),
        ("DE89 3704 0044 0532 0130", "iban_length"),
    ],
)
def test_iban_refused(text: str, code: str) -> None:
    assert _code(parse_iban, text) == code


@pytest.mark.parametrize("text", [
    "puoi mandarlo a me?", "non lo so", "boh", "sul mio conto", "te lo mando dopo", "ho 20 euro",
    "dove lo trovo?", "IBAN?",
])
def test_a_sentence_is_not_an_iban(text: str) -> None:
    assert _code(parse_iban, text) == "iban_not_iban"


@pytest.mark.parametrize("text", [
    f"il mio iban è {IBAN}", "ecco: IT60 X054 2811 1010 0000 0123 456, grazie",
    f"{IBAN} grazie mille", "IBAN: it60 x054 2811 1010 0000 0123 456.",
    "it 60 x 05428 11101 000000123456",
])
def test_an_iban_inside_a_sentence(text: str) -> None:
    assert parse_iban(text) == IBAN


def test_iban_messages_say_exactly_what_is_wrong() -> None:
    with pytest.raises(IdentifierError) as raised:
        parse_iban("IT60 X054 2811 1010 0000 0123 45")
    assert raised.value.message == "L'IBAN ha 26 caratteri, ne servono 27 per un conto italiano."
    with pytest.raises(IdentifierError) as raised:
        parse_iban("IT61X0542811101000000123456")
    assert raised.value.message == (
        "Il codice di controllo dell'IBAN non torna: controlla di averlo copiato bene."
    )


def test_iban_formatting_and_masking() -> None:
    assert format_iban(IBAN) == "IT60 X054 2811 1010 0000 0123 456"
    assert mask_iban(IBAN) == "IT60 •••• •••• 3456"
    assert mask_iban("") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mario.rossi@gmail.com", "mario.rossi@gmail.com"),
        ("Mario.Rossi@GMAIL.COM", "Mario.Rossi@gmail.com"),
        (" <mario@libero.it> ", "mario@libero.it"),
        ("mailto:mario@azienda.it", "mario@azienda.it"),
        ("a@tin.it", "a@tin.it"),  # a real provider, not a typo of tim.it
    ],
)
def test_email_accepted(text: str, expected: str) -> None:
    assert parse_email(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "email_missing"),
        ("mario.rossi", "email_no_at"),
        ("mario@@gmail.com", "email_many_at"),
        ("mario rossi@gmail.com", "email_spaces"),
        ("@gmail.com", "email_no_name"),
        ("mario@gmail", "email_no_domain"),
        ("mario@gmail.con", "email_typo"),
        ("mario@gmial.com", "email_typo"),
        ("mario..rossi@gmail.com", "email_invalid"),
    ],
)
def test_email_refused(text: str, code: str) -> None:
    assert _code(parse_email, text) == code


def test_email_typo_suggests_the_address() -> None:
    with pytest.raises(IdentifierError, match="Forse intendevi mario@gmail.com"):
        parse_email("mario@gmail.con")


@pytest.mark.parametrize(
    "text",
    [
        "+39 347 123 4567",
        "3471234567",
        "0039 347 1234567",
        "347-123-4567",
        "(347) 123 45 67",
        "393471234567",
        "+393471234567",
    ],
)
def test_mobile_accepted(text: str) -> None:
    assert parse_mobile(text) == "+393471234567"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ciao", "mobile_missing"),
        ("06 1234 5678", "mobile_landline"),
        ("+44 7700 900123", "mobile_foreign"),
        ("347 12", "mobile_incomplete"),
        ("+39 800 123456", "mobile_not_mobile"),
    ],
)
def test_mobile_refused(text: str, code: str) -> None:
    assert _code(parse_mobile, text) == code


def test_format_mobile() -> None:
    assert format_mobile("+393471234567") == "+39 347 123 4567"


@pytest.mark.parametrize("text", ["RSSMRA85T10A562S", "rssmra 85t10 a562s", "CF: RSSMRA85T10A562S"])
def test_fiscal_code_accepted(text: str) -> None:
    assert parse_fiscal_code(text) == "RSSMRA85T10A562S"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("RSSMRA85T10A562T", "fiscal_code_checksum"),
        ("RSSMRA85T10A56", "fiscal_code_length"),
        ("12345678903", "fiscal_code_vat"),
        ("RSSMRA85T1XA562S", "fiscal_code_format"),
    ],
)
def test_fiscal_code_refused(text: str, code: str) -> None:
    assert _code(parse_fiscal_code, text) == code


def test_fiscal_code_length_message() -> None:
    with pytest.raises(IdentifierError, match="Il codice fiscale ha 14 caratteri, ne servono 16"):
        parse_fiscal_code("RSSMRA85T10A56")


@pytest.mark.parametrize("text", ["00743110157", "IT00743110157", "IT 007 4311 0157"])
def test_vat_accepted(text: str) -> None:
    assert parse_vat(text) == "00743110157"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("00743110158", "vat_checksum"),
        ("123", "vat_length"),
        ("1234567890A", "vat_digits"),
        ("01234567897", "vat_office"),
    ],
)
def test_vat_refused(text: str, code: str) -> None:
    assert _code(parse_vat, text) == code


def test_every_message_has_text() -> None:
    assert all(message.strip() for message in MESSAGES.values())


@pytest.mark.parametrize("said", [
    "I T sei zero, X zero cinque quattro due, otto uno uno uno, zero uno zero zero, zero zero "
    "zero zero, uno due tre quattro, cinque sei",
    "it sessanta ics zero cinquecentoquarantadue ottomilacentoundici zero cento zero zero "
    "zero zero centoventitre quattrocentocinquantasei",
])
def test_an_iban_said_aloud(said: str) -> None:
    assert parse_iban(said) == "IT60X0542811101000000123456"


def test_an_iban_said_aloud_is_still_checked() -> None:
    with pytest.raises(IdentifierError):  # last digit wrong: the check digits say so
        parse_iban("I T sei zero X zero cinque quattro due otto uno uno uno zero uno zero zero "
                   "zero zero zero zero uno due tre quattro cinque sette")
