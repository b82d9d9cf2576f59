"""Identifiers a customer types: IBAN, email, Italian mobile, codice fiscale, partita IVA.

Each parse_* returns the identifier in its canonical form or raises IdentifierError whose
`message` says, in Italian, exactly what is wrong, so the bot can ask again helpfully.
"""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne
from schwifty import IBAN
from schwifty.exceptions import (
    InvalidBBANChecksum,
    InvalidChecksumDigits,
    InvalidCountryCode,
    InvalidLength,
    InvalidStructure,
    SchwiftyException,
)
from schwifty.iban import registry as iban_registry
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, ValidationError
from stdnum.exceptions import InvalidLength as InvalidNumberLength
from stdnum.it import codicefiscale, iva

__all__ = [
    "IdentifierError",
    "format_iban",
    "format_mobile",
    "mask_iban",
    "parse_email",
    "parse_fiscal_code",
    "parse_iban",
    "parse_mobile",
    "parse_vat",
]


class IdentifierError(ValueError):
    """An identifier that cannot be taken; `message` says why, in Italian, for the customer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_SEPARATORS = re.compile(r"[\s.\-_/]+")
_LABEL = re.compile(r"^\s*(?:iban|codice iban|cf|c\.f\.|codice fiscale|p\.?\s?iva|partita iva)\s*[:=]?\s*", re.I)


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", _LABEL.sub("", text)).upper()


def _characters(count: int) -> str:
    return "1 carattere" if count == 1 else f"{count} caratteri"


# --- IBAN ---------------------------------------------------------------------------------


def parse_iban(text: str) -> str:
    """The IBAN compact and upper case ('IT60X0542811101000000123456').

    Spaces, dashes and lower case are accepted. Italian IBANs are checked in full, including
    the CIN (the national check letter); others by length, structure and check digits.
    """
    iban = _compact(text)
    if not iban:
        raise IdentifierError("Non ho trovato l'IBAN: scrivilo per intero, inizia con IT.")
    if not iban.isalnum() or not iban.isascii():
        wrong = "".join(sorted({char for char in iban if not (char.isascii() and char.isalnum())}))
        raise IdentifierError(
            f"L'IBAN contiene caratteri che non possono esserci ({wrong}): "
            "solo lettere e cifre."
        )
    country = iban[:2]
    if not country.isalpha():
        raise IdentifierError("L'IBAN inizia con la sigla del paese, per esempio IT per l'Italia.")
    try:
        spec = iban_registry.get_iban_spec(country)
    except (KeyError, SchwiftyException):
        spec = None
    if spec is None:
        raise IdentifierError(f"«{country}» non è la sigla di un paese che usa l'IBAN: controlla l'inizio.")
    if len(iban) != spec.iban_length:
        where = "per un conto italiano" if country == "IT" else f"per un conto con sigla {country}"
        raise IdentifierError(
            f"L'IBAN ha {_characters(len(iban))}, ne servono {spec.iban_length} {where}."
        )
    try:
        # The national check (the Italian CIN) only where an algorithm exists: elsewhere
        # schwifty would warn that it could not verify it.
        IBAN(iban, validate_bban=country == "IT")
    except InvalidChecksumDigits as error:
        raise IdentifierError(
            "Il codice di controllo dell'IBAN non torna: controlla di averlo copiato bene."
        ) from error
    except InvalidBBANChecksum as error:
        raise IdentifierError(
            "Il CIN (la lettera dopo IT e le due cifre) non corrisponde al resto dell'IBAN: "
            "controlla di averlo copiato bene."
        ) from error
    except (InvalidStructure, InvalidLength, InvalidCountryCode) as error:
        shape = (
            ": dopo IT e due cifre vengono una lettera (CIN), 5 cifre (ABI), 5 cifre (CAB) "
            "e 12 caratteri di conto"
            if country == "IT"
            else ""
        )
        raise IdentifierError(f"L'IBAN non ha la forma giusta{shape}.") from error
    return iban


def format_iban(iban: str) -> str:
    """'IT60 X054 2811 1010 0000 0123 456': groups of four, as printed on bank statements."""
    compact = _compact(iban)
    return " ".join(compact[index: index + 4] for index in range(0, len(compact), 4))


def mask_iban(iban: str) -> str:
    """'IT60 •••• •••• 3456': country and check digits, then only the last four characters."""
    compact = _compact(iban)
    return f"{compact[:4]} •••• •••• {compact[-4:]}"


# --- email --------------------------------------------------------------------------------

# Only the big providers, whose near misses are typos rather than somebody else's domain.
_PROVIDERS = (
    "gmail.com", "libero.it", "hotmail.it", "hotmail.com", "yahoo.it", "yahoo.com", "outlook.it",
    "outlook.com", "icloud.com", "virgilio.it", "tiscali.it",
)
_TLD_TYPOS = {"con": "com", "cmo": "com", "ocm": "com", "vom": "com", "xom": "com", "cpm": "com",
              "comm": "com", "itt": "it"}


def parse_email(text: str) -> str:
    """The address with a lower-case domain; the name before the @ is kept as typed."""
    address = text.strip().strip("<>").strip()
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:"):]
    if not address:
        raise IdentifierError("Non ho trovato l'indirizzo email: scrivilo come nome@esempio.it.")
    if "@" not in address:
        raise IdentifierError(
            "Manca la chiocciola (@): un indirizzo email è fatto come nome@esempio.it."
        )
    if address.count("@") > 1:
        raise IdentifierError("Nell'indirizzo c'è più di una chiocciola (@): ne serve una sola.")
    if re.search(r"\s", address):
        raise IdentifierError("Un indirizzo email non contiene spazi: controlla di averlo scritto bene.")
    local, _, domain = address.rpartition("@")
    if not local:
        raise IdentifierError("Manca il nome prima della chiocciola (@), come in nome@esempio.it.")
    if "." not in domain:
        raise IdentifierError(
            f"Dopo la chiocciola manca la fine del dominio: per esempio {domain or 'gmail'}.com o .it."
        )
    suggestion = _provider_typo(domain.lower())
    if suggestion:
        raise IdentifierError(f"Forse intendevi {local}@{suggestion}? Controlla il dominio dopo la @.")
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise IdentifierError(
            "L'indirizzo email non sembra valido: controlla di averlo scritto bene "
            "(per esempio nome@esempio.it)."
        ) from error


def _provider_typo(domain: str) -> str | None:
    """'gmail.con' -> 'gmail.com': a near miss of a common provider, not the provider itself."""
    if domain in _PROVIDERS:
        return None
    match = extractOne(domain, _PROVIDERS, scorer=OSA.distance, score_cutoff=1)
    if match is not None:
        return str(match[0])
    name, _, tld = domain.rpartition(".")
    return f"{name}.{_TLD_TYPOS[tld]}" if tld in _TLD_TYPOS else None


# --- mobile phone -------------------------------------------------------------------------


def parse_mobile(text: str) -> str:
    """An Italian mobile number in E.164 ('+393471234567'); landlines and foreign refused."""
    typed = text.strip()
    if not re.search(r"\d", typed):
        raise IdentifierError("Non ho trovato il numero: scrivi il cellulare, per esempio 347 123 4567.")
    try:
        number = phonenumbers.parse(typed, "IT")
    except phonenumbers.NumberParseException as error:
        raise IdentifierError(
            "Non riconosco un numero di telefono: scrivi il cellulare, per esempio 347 123 4567."
        ) from error
    if number.country_code != 39:
        raise IdentifierError("Serve un numero di cellulare italiano (+39).")
    if not phonenumbers.is_valid_number(number):
        digits = len(str(number.national_number))
        raise IdentifierError(
            f"Il numero ha {digits} cifre: un cellulare italiano ne ha 10, "
            "come 347 123 4567. Controlla di averlo scritto tutto."
        )
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise IdentifierError("Questo è un numero fisso: serve un cellulare, per ricevere i messaggi.")
    if kind != phonenumbers.PhoneNumberType.MOBILE:
        raise IdentifierError("Questo non è un numero di cellulare: serve un cellulare italiano.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_mobile(number: str) -> str:
    """'+39 347 123 4567'."""
    parsed = phonenumbers.parse(number, "IT")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --- codice fiscale and partita IVA -------------------------------------------------------


def parse_fiscal_code(text: str) -> str:
    """A person's codice fiscale, 16 characters upper case, its check letter verified."""
    code = _compact(text)
    if code.isdigit() and len(code) == 11:
        raise IdentifierError(
            "Questa sembra una partita IVA: serve il codice fiscale della persona (16 caratteri)."
        )
    if len(code) != 16:
        raise IdentifierError(f"Il codice fiscale ha {_characters(len(code))}, ne servono 16.")
    try:
        return str(codicefiscale.validate(code))
    except InvalidChecksum as error:
        raise IdentifierError(
            "L'ultima lettera del codice fiscale (quella di controllo) non torna: "
            "controlla di averlo copiato bene."
        ) from error
    except (InvalidFormat, InvalidNumberLength) as error:
        raise IdentifierError(
            "Il codice fiscale non ha la forma giusta: 6 lettere, 2 cifre, 1 lettera, 2 cifre, "
            "1 lettera, 3 cifre e 1 lettera (per esempio RSSMRA85T10A562S)."
        ) from error
    except (InvalidComponent, ValidationError) as error:
        raise IdentifierError(
            "La data di nascita nel codice fiscale non è valida: controlla di averlo copiato bene."
        ) from error


def parse_vat(text: str) -> str:
    """A partita IVA, 11 digits ('IT' in front and spaces accepted), its check digit verified."""
    number = _compact(text)
    if number.startswith("IT"):
        number = number[2:]
    if not number.isdigit():
        raise IdentifierError("La partita IVA è fatta solo di cifre: 11 in tutto.")
    if len(number) != 11:
        raise IdentifierError(
            f"La partita IVA ha {len(number)} {'cifra' if len(number) == 1 else 'cifre'}, ne servono 11."
        )
    try:
        return str(iva.validate(number))
    except InvalidChecksum as error:
        raise IdentifierError(
            "L'ultima cifra della partita IVA (quella di controllo) non torna: "
            "controlla di averla copiata bene."
        ) from error
    except (InvalidComponent, ValidationError) as error:
        raise IdentifierError(
            "Le cifre dell'ufficio (dall'ottava alla decima) non sono valide per una partita IVA: "
            "controlla di averla copiata bene."
        ) from error
