"""nlu.money: amounts in euro as typed, refused kindly when they cannot be taken."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nlu.money import MESSAGES, AmountError, find_amount, format_amount, parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120", "120.00"),
        ("120,50", "120.50"),
        ("120,5", "120.50"),
        ("€ 120,50", "120.50"),
        ("€120", "120.00"),
        ("120€", "120.00"),
        ("120 €", "120.00"),
        ("120.50 euro", "120.50"),
        ("EUR 120", "120.00"),
        ("120 euri", "120.00"),
        ("120e", "120.00"),
        ("120,-", "120.00"),
        ("1.234,56", "1234.56"),
        ("1.234", "1234.00"),  # Italian thousands
        ("1,234.56", "1234.56"),
        ("1.250.000,00", "1250000.00"),
        ("centoventi euro", "120.00"),
        ("cento venti euro", "120.00"),
        ("milleduecento", "1200.00"),
        ("un euro", "1.00"),
        ("120 euro e 50", "120.50"),
        ("centoventi euro e cinquanta centesimi", "120.50"),
        ("centoventi e cinquanta", "120.50"),
        ("50 centesimi", "0.50"),
        ("ho pagato 85,40€", "85.40"),
        ("il 12/03/2026 ho pagato 85,40 euro", "85.40"),
        ("2 visite, 150 euro in tutto", "150.00"),
        ("tot. 1.250,00 EUR", "1250.00"),
    ],
)
def test_amounts(text: str, expected: str) -> None:
    assert parse_amount(text, max_amount=Decimal(2000000)) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "missing"),
        ("boh", "missing"),
        ("-50", "negative"),
        ("€ -50", "negative"),
        ("meno 50 euro", "negative"),
        ("0", "zero"),
        ("0,00", "zero"),
        ("200000", "too_high"),
        ("duecentomila euro", "too_high"),
        ("120 dollari", "currency"),
        ("$120", "currency"),
        ("1,234", "comma_thousands"),
        ("120,555", "comma_thousands"),
        ("120.555.5", "grouping"),
        ("12.3456", "decimals"),
        ("2 visite da 150", "several"),
    ],
)
def test_refusals(text: str, code: str) -> None:
    with pytest.raises(AmountError) as raised:
        parse_amount(text)
    assert raised.value.code == code
    assert str(raised.value) == raised.value.message


def test_refusal_messages_are_kind_and_exact() -> None:
    with pytest.raises(AmountError, match="non può essere negativo"):
        parse_amount("-12")
    with pytest.raises(AmountError, match="maggiore di zero"):
        parse_amount("0")
    with pytest.raises(AmountError) as raised:
        parse_amount("150.000")
    assert raised.value.message == (
        "€ 150.000,00 mi sembra troppo: l'importo massimo è € 100.000,00. "
        "Controlla di averlo scritto bene."
    )
    with pytest.raises(AmountError, match=r"Ho trovato più numeri \(3, 40\)"):
        parse_amount("3 sedute da 40")


def test_the_maximum_can_be_lowered() -> None:
    assert parse_amount("500", max_amount=Decimal(500)) == Decimal("500.00")
    with pytest.raises(AmountError):
        parse_amount("500,01", max_amount=Decimal(500))


def test_every_message_has_text() -> None:
    assert all(message.strip() for message in MESSAGES.values())


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1234.56"), "€ 1.234,56"),
        (Decimal(5), "€ 5,00"),
        (Decimal("0.5"), "€ 0,50"),
        (Decimal("1234567.8"), "€ 1.234.567,80"),
    ],
)
def test_format_amount(amount: Decimal, text: str) -> None:
    assert format_amount(amount) == text


@pytest.mark.parametrize(
    "text",
    ["zO\\É³ÀÓ", "x²", "½", "①②", "٣٠", "abc3", "ab3cd", "e3", "codice AB12CD"],
)
def test_only_amounts_are_read(text: str) -> None:
    """Superscripts, fractions, other scripts' digits and digits inside words are no amount."""
    with pytest.raises(AmountError) as raised:
        parse_amount(text)
    assert raised.value.code == "missing"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("120euro", "120.00"),
        ("50€", "50.00"),
        ("€3", "3.00"),
        ("fattura A3: 120 euro", "120.00"),
        ("3a rata 80 euro", "80.00"),
        ("１２０ euro", "120.00"),
    ],
)
def test_amounts_next_to_words_and_codes(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)

@pytest.mark.parametrize(("text", "expected"), [
    ("rimborso visita dermatologica del 12 novembre 130 euro per Marco", Decimal("130.00")),
    ("ho pagato € 1.234,50 il 3/12", Decimal("1234.50")),
    ("120 euro e 50 per la visita", Decimal("120.50")),
    ("ho speso centotrenta euro", Decimal("130.00")),
    ("rimborso 85,50 eur", Decimal("85.50")),
    ("rimborso di 2 visite del 12 novembre", None),   # no currency: no amount
    ("ho speso 80€ e poi 20€", None),                   # two amounts: not one
    ("visita pagata 90 dollari", None),
    ("rimborso visita del 12 novembre", None),
])
def test_find_amount_in_a_sentence(text: str, expected: Decimal | None) -> None:
    assert find_amount(text) == expected


@pytest.mark.parametrize(("said", "amount"), [
    ("novanta virgola cinquanta", "90.50"),
    ("trentadue virgola otto", "32.80"),
    ("centoquindici virgola zero zero", "115.00"),
    ("sessantacinque euro e mezzo", "65.50"),
    ("mille e duecento euro", "1200.00"),  # not 200: the thousands said apart
])
def test_amounts_said_in_words(said: str, amount: str) -> None:
    assert parse_amount(said) == Decimal(amount)
