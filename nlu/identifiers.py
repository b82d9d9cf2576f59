"""Identifiers a customer types: IBAN, email, Italian mobile, codice fiscale, partita IVA.

Each parse_* returns the identifier in its canonical form or raises IdentifierError whose
`message` says, in Italian, exactly what is wrong, so the bot can ask again helpfully.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, ValidationError
from stdnum.exceptions import InvalidLength as InvalidNumberLength
from stdnum.it import codicefiscale, iva

from nlu.spoken import spoken_iban

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


# What the customer reads when an identifier cannot be taken, by error code.
MESSAGES = {
    "iban_missing": "Non ho trovato l'IBAN: scrivilo per intero, inizia con IT.",
    "iban_not_iban": "Questo non è un IBAN. L'IBAN è il codice del conto: inizia con la sigla "
    "del paese e per un conto italiano ha 27 caratteri, per esempio "
    "IT60 X054 2811 1010 0000 0123 456. Lo trovi nell'app della banca o sull'estratto conto.",
    "iban_characters": "L'IBAN contiene caratteri che non possono esserci ({wrong}): "
    "solo lettere e cifre.",
    "iban_country_missing": "L'IBAN inizia con la sigla del paese, per esempio IT per l'Italia.",
    "iban_country": "«{country}» non è la sigla di un paese che usa l'IBAN: controlla l'inizio.",
    "iban_length_it": "L'IBAN ha {length}, ne servono {expected} per un conto italiano.",
    "iban_length": "L'IBAN ha {length}, ne servono {expected} per un conto con sigla {country}.",
    "iban_checksum": "Il codice di controllo dell'IBAN non torna: "
    "controlla di averlo copiato bene.",
    "iban_cin": "Il CIN (la lettera dopo IT e le due cifre) non corrisponde al resto dell'IBAN: "
    "controlla di averlo copiato bene.",
    "iban_structure_it": "L'IBAN non ha la forma giusta: dopo IT e due cifre vengono una lettera "
    "(CIN), 5 cifre (ABI), 5 cifre (CAB) e 12 caratteri di conto.",
    "iban_structure": "L'IBAN non ha la forma giusta: controlla di averlo copiato bene.",
    "email_missing": "Non ho trovato l'indirizzo email: scrivilo come nome@esempio.it.",
    "email_no_at": "Manca la chiocciola (@): un indirizzo email è fatto come nome@esempio.it.",
    "email_many_at": "Nell'indirizzo c'è più di una chiocciola (@): ne serve una sola.",
    "email_spaces": "Un indirizzo email non contiene spazi: controlla di averlo scritto bene.",
    "email_no_name": "Manca il nome prima della chiocciola (@), come in nome@esempio.it.",
    "email_no_domain": "Dopo la chiocciola manca la fine del dominio: per esempio {domain}.com "
    "o {domain}.it.",
    "email_typo": "Forse intendevi {suggestion}? Controlla il dominio dopo la @.",
    "email_invalid": "L'indirizzo email non sembra valido: controlla di averlo scritto bene "
    "(per esempio nome@esempio.it).",
    "mobile_missing": "Non ho trovato il numero: scrivi il cellulare, per esempio 347 123 4567.",
    "mobile_unreadable": "Non riconosco un numero di telefono: scrivi il cellulare, per esempio "
    "347 123 4567.",
    "mobile_foreign": "Serve un numero di cellulare italiano (+39).",
    "mobile_incomplete": "Il numero ha {digits} cifre: un cellulare italiano ne ha 10, come "
    "347 123 4567. Controlla di averlo scritto tutto.",
    "mobile_landline": "Questo è un numero fisso: serve un cellulare, per ricevere i messaggi.",
    "mobile_not_mobile": "Questo non è un numero di cellulare: serve un cellulare italiano.",
    "fiscal_code_vat": "Questa sembra una partita IVA: serve il codice fiscale della persona "
    "(16 caratteri).",
    "fiscal_code_length": "Il codice fiscale ha {length}, ne servono 16.",
    "fiscal_code_checksum": "L'ultima lettera del codice fiscale (quella di controllo) non torna: "
    "controlla di averlo copiato bene.",
    "fiscal_code_format": "Il codice fiscale non ha la forma giusta: "
    "6 lettere, 2 cifre, 1 lettera, "
    "2 cifre, 1 lettera, 3 cifre e 1 lettera (per esempio RSSMRA85T10A562S).",
    "fiscal_code_birth": "La data di nascita nel codice fiscale non è valida: controlla di averlo "
    "copiato bene.",
    "vat_digits": "La partita IVA è fatta solo di cifre: 11 in tutto.",
    "vat_length": "La partita IVA ha {length}, ne servono 11.",
    "vat_checksum": "L'ultima cifra della partita IVA (quella di controllo) non torna: controlla "
    "di averla copiata bene.",
    "vat_office": "Le cifre dell'ufficio (dall'ottava alla decima) non sono valide per una "
    "partita IVA: controlla di averla copiata bene.",
}


class IdentifierError(ValueError):
    """An identifier that cannot be taken; `message` says why, in Italian, for the customer.

    `code` names the reason (a key of MESSAGES) for callers that word it themselves.
    """

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _error(code: str, **values: object) -> IdentifierError:
    return IdentifierError(MESSAGES[code].format(**values), code)


_SEPARATORS = re.compile(r"[\s.\-_/]+")
_LABEL = re.compile(
    r"^\s*(?:iban|codice iban|cf|c\.f\.|codice fiscale|p\.?\s?iva|partita iva)\s*[:=]?\s*",
    re.IGNORECASE,
)


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", _LABEL.sub("", text)).upper()


def _characters(count: int) -> str:
    return "1 carattere" if count == 1 else f"{count} caratteri"


def _digits(count: int) -> str:
    return "1 cifra" if count == 1 else f"{count} cifre"


# --- IBAN ---------------------------------------------------------------------------------


# Where an IBAN starts in a message: the country code and the check digits ("IT60", "it 60").
_IBAN_START = re.compile(r"(?<![^\W\d_])(?:[A-Za-z]{2}|[Ii][Tt][\s.\-_/]+)\d{2}")


def _iban_text(text: str) -> str | None:
    """The part of a message meant as an IBAN, from the country code to its last group ("il
    mio IBAN è IT60 X054 …, grazie"); None when nothing in it looks like one (a sentence)."""
    stripped = _LABEL.sub("", text).strip()
    match = _IBAN_START.search(stripped)
    if match is None:
        # Many digits without a country code: an IBAN missing its start, explained as such.
        return stripped if sum(c.isdigit() for c in stripped) >= 10 else None
    kept: list[str] = []
    for token in stripped[match.start():].split():
        # A word after the groups ("grazie") ends the IBAN; groups have digits or are short.
        if kept and len(token) > 4 and not any(c.isdigit() for c in token):
            break
        kept.append(token)
    return " ".join(kept).rstrip(".,;:!?)")


def parse_iban(text: str) -> str:
    """The IBAN compact and upper case ('IT60X0542811101000000123456').

    Spaces, dashes and lower case are accepted, and words around it ("ecco l'IBAN: …").
    Italian IBANs are checked in full, including the CIN (the national check letter); others
    by length, structure and check digits. A sentence with nothing like an IBAN in it is
    refused as such ("iban_not_iban"), not as an IBAN with wrong characters.
    """
    if not text.strip():
        raise _error("iban_missing")
    try:
        return _parse_iban(text)
    except IdentifierError:
        # Said aloud or typed the way it is said ("I T sei zero X zero cinque..."): read in
        # groups and words, then checked in full like any other.
        spoken = spoken_iban(text)
        if spoken is None:
            raise
        return _parse_iban(spoken)


def _parse_iban(text: str) -> str:
    found = _iban_text(text)
    if found is None:
        raise _error("iban_not_iban")
    iban = _compact(found)
    if not iban:
        raise _error("iban_missing")
    if not iban.isalnum() or not iban.isascii():
        wrong = "".join(sorted({char for char in iban if not (char.isascii() and char.isalnum())}))
        raise _error("iban_characters", wrong=wrong)
    country = iban[:2]
    if not country.isalpha():
        raise _error("iban_country_missing")
    # schwifty's registry is loaded with the first IBAN, not at every start.
    from schwifty import IBAN
    from schwifty.exceptions import (
        InvalidBBANChecksum,
        InvalidChecksumDigits,
        InvalidCountryCode,
        InvalidLength,
        InvalidStructure,
        SchwiftyException,
    )
    from schwifty.registry import get_iban_spec

    try:
        spec = get_iban_spec(country)
    except (KeyError, SchwiftyException) as error:
        raise _error("iban_country", country=country) from error
    if len(iban) != spec.iban_length:
        raise _error(
            "iban_length_it" if country == "IT" else "iban_length",
            length=_characters(len(iban)),
            expected=spec.iban_length,
            country=country,
        )
    try:
        # The national check (the Italian CIN) only where an algorithm exists: elsewhere
        # schwifty would warn that it could not verify it.
        IBAN(iban, validate_bban=country == "IT")
    except InvalidChecksumDigits as error:
        raise _error("iban_checksum") from error
    except InvalidBBANChecksum as error:
        raise _error("iban_cin") from error
    except (InvalidStructure, InvalidLength, InvalidCountryCode) as error:
        raise _error("iban_structure_it" if country == "IT" else "iban_structure") from error
    return iban


def format_iban(iban: str) -> str:
    """'IT60 X054 2811 1010 0000 0123 456': groups of four, as printed on bank statements."""
    compact = _compact(iban)
    return " ".join(compact[index : index + 4] for index in range(0, len(compact), 4))


def mask_iban(iban: str) -> str:
    """'IT60 •••• •••• 3456': country and check digits, then only the last four characters."""
    compact = _compact(iban)
    if len(compact) < 8:
        return "•" * len(compact)  # too short to show any of it
    return f"{compact[:4]} •••• •••• {compact[-4:]}"


# --- email --------------------------------------------------------------------------------

# Only the big providers, whose near misses are typos rather than somebody else's domain.
_PROVIDERS = (
    "gmail.com",
    "libero.it",
    "hotmail.it",
    "hotmail.com",
    "yahoo.it",
    "yahoo.com",
    "outlook.it",
    "outlook.com",
    "icloud.com",
    "virgilio.it",
    "tiscali.it",
)
_TLD_TYPOS = {
    "con": "com",
    "cmo": "com",
    "ocm": "com",
    "vom": "com",
    "xom": "com",
    "cpm": "com",
    "comm": "com",
    "itt": "it",
}


def parse_email(text: str) -> str:
    """The address with a lower-case domain; the name before the @ is kept as typed."""
    address = text.strip().strip("<>").strip()
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :]
    if not address:
        raise _error("email_missing")
    if "@" not in address:
        raise _error("email_no_at")
    if address.count("@") > 1:
        raise _error("email_many_at")
    if re.search(r"\s", address):
        raise _error("email_spaces")
    local, _, domain = address.rpartition("@")
    if not local:
        raise _error("email_no_name")
    if "." not in domain:
        raise _error("email_no_domain", domain=domain or "gmail")
    suggestion = _provider_typo(domain.lower())
    if suggestion:
        raise _error("email_typo", suggestion=f"{local}@{suggestion}")
    from email_validator import EmailNotValidError, validate_email  # with the first address

    try:
        return str(validate_email(address, check_deliverability=False).normalized)
    except EmailNotValidError as error:
        raise _error("email_invalid") from error


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
        raise _error("mobile_missing")
    import phonenumbers  # its metadata loaded with the first number, not at every start

    try:
        number = phonenumbers.parse(typed, "IT")
    except phonenumbers.NumberParseException as error:
        raise _error("mobile_unreadable") from error
    if number.country_code != 39:
        raise _error("mobile_foreign")
    if not phonenumbers.is_valid_number(number):
        raise _error("mobile_incomplete", digits=len(str(number.national_number)))
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise _error("mobile_landline")
    if kind != phonenumbers.PhoneNumberType.MOBILE:
        raise _error("mobile_not_mobile")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def format_mobile(number: str) -> str:
    """'+39 347 123 4567'."""
    import phonenumbers

    parsed = phonenumbers.parse(number, "IT")
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


# --- codice fiscale and partita IVA -------------------------------------------------------


def parse_fiscal_code(text: str) -> str:
    """A person's codice fiscale, 16 characters upper case, its check letter verified."""
    code = _compact(text)
    if code.isdigit() and len(code) == 11:
        raise _error("fiscal_code_vat")
    if len(code) != 16:
        raise _error("fiscal_code_length", length=_characters(len(code)))
    try:
        return str(codicefiscale.validate(code))
    except InvalidChecksum as error:
        raise _error("fiscal_code_checksum") from error
    except (InvalidFormat, InvalidNumberLength) as error:
        raise _error("fiscal_code_format") from error
    except (InvalidComponent, ValidationError) as error:
        raise _error("fiscal_code_birth") from error


def parse_vat(text: str) -> str:
    """A partita IVA, 11 digits ('IT' in front and spaces accepted), its check digit verified."""
    number = _compact(text)
    number = number.removeprefix("IT")
    if not number.isdigit():
        raise _error("vat_digits")
    if len(number) != 11:
        raise _error("vat_length", length=_digits(len(number)))
    try:
        return str(iva.validate(number))
    except InvalidChecksum as error:
        raise _error("vat_checksum") from error
    except (InvalidComponent, ValidationError) as error:
        raise _error("vat_office") from error
