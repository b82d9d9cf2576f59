"""The fields of an Italian receipt or invoice, read from its lines of text.

Works the same on a PDF's own text and on OCR output: every rule reads labels the way they are
printed ("Fattura n.", "Totale documento", "P.IVA") and tolerates what OCR does to them (spaces
lost or added, O for 0). Each field comes with a confidence: how strong the rule that found it
is, times how sure the OCR was of the line.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from nlu.receipts.codes import find_tax_codes, find_vat_numbers
from nlu.receipts.model import Found, Receipt, ServiceLine
from nlu.receipts.text import TextLine, clean, digits_fixed

__all__ = ["extract_fields"]

_MAX_AMOUNT = Decimal(100000)


def _plain(text: str) -> str:
    """Lower case, accents gone."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if c.isascii())


def _letters(text: str) -> str:
    """Lower case letters only, accents gone: labels compared whatever OCR did to spaces."""
    return "".join(c for c in _plain(text) if "a" <= c <= "z")


@dataclass(frozen=True, slots=True)
class _Line:
    index: int
    text: str  # cleaned
    numeric: str  # cleaned, look-alike letters in amounts and dates read as digits
    confidence: float
    page: int


# --- amounts ------------------------------------------------------------------------------

_AMOUNT = re.compile(
    r"(?<![\d.,/:])(?P<minus>-\s?)?(?:€\s?|EUR\s?|Euro\s?)?(?P<minus2>-\s?)?"
    r"(?P<whole>\d{1,3}(?:[.'’]\d{3})+|\d{1,6})\s?[,.]\s?(?P<cents>\d{2})"
    r"(?![\d])(?!\s?%)(?![.,/]\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Amount:
    value: Decimal
    start: int
    end: int


def _amounts(text: str) -> list[_Amount]:
    found = []
    for match in _AMOUNT.finditer(text):
        if match["minus"] or match["minus2"]:
            continue  # a deduction (acconto, sconto), never the total nor a service
        whole = re.sub(r"[.'’]", "", match["whole"])
        try:
            value = Decimal(f"{whole}.{match['cents']}")
        except InvalidOperation:
            continue
        if 0 < value <= _MAX_AMOUNT:
            found.append(_Amount(value, match.start(), match.end()))
    return found


# Words in a label, compared on letters only ("Totale  documento" == "Totaledocumento").
_NOT_TOTAL = ("prestazion", "imponibil", "subtotal", "parzial", "diciui", "bollo", "acconto",
              "dedurre", "contribut", "enpap", "esent", "sconto", "resto", "rivalsa", "ritenut",
              "anticip", "versat", "quantita", "aliquota", "ivaal", "rimanent", "credito")
_FINAL = ("dapagare", "apagare", "netto", "saldo", "totaledocumento", "totalefattura",
          "importopagato", "totalecomplessivo", "importototale", "totaleeuro", "totalericevuta",
          "totaledovuto", "totalepagato", "totaleeur", "totalegenerale")
_TOTAL = ("totale", "tot", "importo")
_PAYMENT = ("pagamento", "contant", "bancomat", "carta", "pos", "elettronic", "pagato")


def _vat_only(letters: str) -> bool:
    """A VAT line ("IVA 22%", "Totale IVA"), not a total that includes VAT ("IVA inclusa")."""
    return "iva" in letters and not any(w in letters for w in ("inclus", "compres", "ivata"))


def _total_rank(label: str) -> int:
    """3 for a final total's label, 2 for a plain 'Totale', 1 for a payment line, else 0."""
    letters = _letters(label)
    if not letters or any(word in letters for word in _NOT_TOTAL) or _vat_only(letters):
        return 0
    if any(word in letters for word in _FINAL):
        return 3
    if any(letters.startswith(word) or word in letters for word in _TOTAL):
        return 2
    if any(word in letters for word in _PAYMENT):
        return 1
    return 0


def _total(lines: Sequence[_Line]) -> tuple[Found[Decimal] | None, int | None]:
    """The document's total and its line: the last total-labelled line (after an acconto the
    balance follows the document total), a payment line when none is labelled; subtotals, VAT,
    marca da bollo and acconti are never the total."""
    labelled: list[tuple[int, int, Decimal, float]] = []  # rank, line index, value, confidence
    for position, line in enumerate(lines):
        amounts = _amounts(line.numeric)
        label = line.numeric[: amounts[-1].start] if amounts else line.numeric
        rank = _total_rank(label)
        if not rank:
            continue
        confidence = line.confidence
        if not amounts:
            # The amount printed on the line below, alone ("TOTALE" then "€ 87,00").
            following = lines[position + 1] if position + 1 < len(lines) else None
            if following is None or _letters(re.sub(r"(?i)eur[o]?", "", following.numeric)):
                continue
            amounts = _amounts(following.numeric)
            if not amounts:
                continue
            confidence *= 0.9
        labelled.append((rank, line.index, amounts[-1].value, confidence))
    totals = [c for c in labelled if c[0] >= 2] or labelled
    if not totals:
        return _largest(lines), None
    rank, index, value, confidence = totals[-1]
    confidence *= {3: 0.95, 2: 0.88, 1: 0.7}[rank]
    repeated = sum(1 for line in lines for a in _amounts(line.numeric) if a.value == value)
    if repeated >= 2:
        confidence = min(1.0, confidence + 0.04)
    return Found(value, round(confidence, 3)), index


def _largest(lines: Sequence[_Line]) -> Found[Decimal] | None:
    """No total printed with a label: the largest amount, said with little confidence."""
    values = [
        (a.value, line.confidence)
        for line in lines
        if not any(word in _letters(line.numeric) for word in _NOT_TOTAL)
        for a in _amounts(line.numeric)
    ]
    if not values:
        return None
    value, confidence = max(values)
    return Found(value, round(0.4 * confidence, 3))


# --- dates --------------------------------------------------------------------------------

_MONTHS = {
    "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6,
    "luglio": 7, "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
    "gen": 1, "feb": 2, "mar": 3, "apr": 4, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9,
    "sett": 9, "ott": 10, "nov": 11, "dic": 12,
}
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.\-])(?P<day>\d{1,2})\s?(?P<sep>[/.\-])\s?(?P<month>\d{1,2})\s?(?P=sep)\s?"
    # OCR may glue a cash register's time to the year ("15-05-202512:43")
    r"(?P<year>\d{4}|\d{2})(?:(?!\d)|(?=\d{1,2}[:.]\d{2}(?!\d)))"
)
_WORD_DATE = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})\s*(?:°|º)?\s*(?P<month>"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\.?\s*(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(r"\s*(?:ore\s*)?\d{1,2}[:.]\d{2}(?![\d,])")
# Words before another date than the document's: a birth, an acconto, a due date, a period.
_NOT_DOCUMENT_DATE = ("nato", "nata", "nati", "nascita", "acconto", "dedurre", "scadenz", "valid",
                      "rif", "stampa", "ricetta", "prescri", "dal", "al", "periodo", "entro",
                      "versat", "pagabile")


@dataclass(frozen=True, slots=True)
class _DateCandidate:
    value: dt.date
    score: float
    confidence: float


def _make_date(day: str, month: int | str, year: str) -> dt.date | None:
    number = int(year)
    if len(year) == 2:
        number += 2000
    try:
        return dt.date(number, int(month), int(day))
    except ValueError:
        return None


def _dates_in(line: _Line, number_lines: set[int], today: dt.date) -> list[_DateCandidate]:
    found = []
    text = line.numeric
    matches: list[tuple[re.Match[str], dt.date | None]] = [
        (m, _make_date(m["day"], m["month"], m["year"])) for m in _NUMERIC_DATE.finditer(text)
    ] + [
        (m, _make_date(m["day"], _MONTHS[m["month"].lower()], m["year"]))
        for m in _WORD_DATE.finditer(text)
    ]
    for match, value in matches:
        if value is None or not 2000 <= value.year <= today.year + 1:
            continue
        before = re.findall(r"[a-z]+", _plain(text[max(0, match.start() - 32) : match.start()]))
        near = _letters(text[max(0, match.start() - 14) : match.start()])
        score = 1.0
        if any(word == stop if len(stop) <= 3 else word.startswith(stop)
               for word in before for stop in _NOT_DOCUMENT_DATE):
            score -= 4
        if line.index in number_lines:
            score += 3
        if near.endswith(("data", "del", "datadocumento", "dataemissione", "datafattura", "il",
                          "lì", "li", "addi")) or "data" in near:
            score += 2
        if _TIME_AFTER.match(text, match.end()):
            score += 2  # a cash register's date and time
        if value > today:
            score -= 2
        if value.year < today.year - 6:
            score -= 2
        score -= line.index * 0.01  # the document's date comes early
        confidence = 0.95 if score >= 2.5 else 0.8 if score >= 0.5 else 0.4
        found.append(_DateCandidate(value, score, confidence * line.confidence))
    return found


def _date(lines: Sequence[_Line], number_lines: set[int], today: dt.date) -> Found[dt.date] | None:
    candidates = [c for line in lines for c in _dates_in(line, number_lines, today)]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: c.score)
    confidence = best.confidence
    others = {c.value for c in candidates if c.score > best.score - 1 and c.value != best.value}
    if others:
        confidence *= 0.7  # another date almost as likely
    return Found(best.value, round(confidence, 3))


# --- document number ----------------------------------------------------------------------

_DOCUMENT_WORD = (r"(?:fattura|fatt|ft|ricevuta|ric|documento|doc|nota|scontrino|"
                  r"fattura\s*sanitaria|ricevuta\s*sanitaria|parcella|quietanza)")
_NUMBER_MARK = r"(?:numero|num|nr|n|no|nro)(?![a-z])\s*[.:°º'\"*,]*\s*[:.]?\s*"
_TOKEN = r"(?P<number>[A-Za-z0-9][A-Za-z0-9/\-_.]*[A-Za-z0-9]|[0-9])"
_LABELLED_NUMBER = re.compile(
    rf"{_DOCUMENT_WORD}\.?(?:[^\n]{{0,28}}?[\s.])?{_NUMBER_MARK}{_TOKEN}", re.IGNORECASE
)
_NUMBER_FIRST = re.compile(
    rf"^(?:{_NUMBER_MARK}|numero\s*)(?:{_DOCUMENT_WORD}|progressivo)?\s*[:.]?\s*{_TOKEN}",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(rf"\b(?:fattura|ricevuta)\s+{_TOKEN}", re.IGNORECASE)
# Other documents' numbers printed on a receipt: an acconto's, a prescription's, a page's.
_NOT_THIS_NUMBER = {"acconto", "dedurre", "riferimento", "rif", "ordine", "ddt", "tessera",
                    "ricetta", "nre", "impegnativa", "pagina", "iscrizione", "albo", "autorizz",
                    "tel", "telefono", "conto", "iban", "credito", "prescrizione", "pag"}
_STUCK_WORD = re.compile(r"(?i)(?<=\d)(?:del|data|in|dat|d)$")


def _number_token(raw: str) -> str | None:
    token = _STUCK_WORD.sub("", raw.strip(".,-/_"))
    if not any(c.isdigit() for c in token) or len(token) > 24:
        return None
    digits = sum(c.isdigit() for c in token)
    alnum = sum(c.isalnum() for c in token)
    if digits >= 0.7 * alnum:
        # OCR's O for 0 and I for 1 inside a number made of digits
        token = re.sub(r"(?<=[\d/\-])[Oo]|[Oo](?=[\d/\-])", "0", token)
        token = re.sub(r"(?<=[\d/\-])[Il|]|[Il|](?=[\d/\-])", "1", token)
    return token.upper()


def _number(lines: Sequence[_Line]) -> tuple[Found[str] | None, set[int]]:
    """The document's number and the lines that name it (where its date usually is)."""
    found: list[tuple[float, int, str]] = []
    for line in lines:
        for pattern, strength in ((_LABELLED_NUMBER, 0.95), (_NUMBER_FIRST, 0.85),
                                  (_BARE_NUMBER, 0.6)):
            matched = False
            for match in pattern.finditer(line.text):
                words = set(re.findall(r"[a-z]+", _plain(line.text[: match.end()])))
                if words & _NOT_THIS_NUMBER:
                    continue
                token = _number_token(match["number"])
                if token and not _looks_like_date(token):
                    found.append((strength * line.confidence, line.index, token))
                    matched = True
            if matched:
                break
    if not found:
        return None, set()
    best = max(found, key=lambda f: (round(f[0], 1), -f[1]))
    agreeing = {f[2] for f in found if f[0] >= best[0] - 0.1}
    confidence = best[0] if len(agreeing) == 1 else best[0] * 0.75
    return Found(best[2], round(confidence, 3)), {f[1] for f in found if f[2] == best[2]}


def _looks_like_date(token: str) -> bool:
    return bool(_NUMERIC_DATE.fullmatch(token))


# --- issuer -------------------------------------------------------------------------------

_ISSUER_WORDS = ("studio", "dott", "dr", "farmacia", "centro", "poliambulatorio", "casadicura",
                 "istituto", "srl", "spa", "snc", "sas", "laboratorio", "clinica", "ambulatorio",
                 "ospedale", "medic", "diagnostic", "fisioterapi", "odontoiatri", "dentist",
                 "ottica", "sanitari", "cooperativa", "associat", "prof")
_NOT_ISSUER = ("via", "viale", "corso", "piazza", "piazzale", "largo", "tel", "fax", "piva",
               "partitaiva", "cf", "codicefiscale", "codfisc", "email", "mail", "www", "pec",
               "fattura", "ricevuta", "documento", "data", "spett", "pagina", "paziente",
               "cliente", "sig", "intestat", "descrizione", "cap", "pi", "iva")


# OCR reads the l of "S.r.l." as I or 1.
_SRL = re.compile(r"\b([Ss]\.?\s?[Rr]\.?\s?)[I1|](\.?)(?=\W|$)")


def _issuer(lines: Sequence[_Line], header_end: int) -> Found[str] | None:
    first_page = [line for line in lines if line.page == lines[0].page][: max(header_end, 3) + 2]
    candidates = []
    for line in first_page[:10]:
        column = _SRL.sub(r"\1l\2", re.split(r"\s{2,}", line.text)[0].strip(" ,:;-"))
        letters = _letters(column)
        if len(letters) < 4 or sum(c.isdigit() for c in column) > len(column) / 3:
            continue
        words = [_letters(word) for word in column.split()]
        if words and words[0] in _NOT_ISSUER or any(
            letters.startswith(word) for word in _NOT_ISSUER if len(word) > 3
        ):
            continue
        candidates.append((line, column))
    if not candidates:
        return None
    for line, column in candidates:
        words = {_letters(word) for word in column.split()}
        if any(w in _letters(column) for w in _ISSUER_WORDS if len(w) > 3) or words & set(
            _ISSUER_WORDS
        ):
            return Found(column, round(0.9 * line.confidence, 3))
    line, column = candidates[0]
    return Found(column, round(0.5 * line.confidence, 3))


# --- partita IVA and codice fiscale -------------------------------------------------------

_VAT_LABEL = ("piva", "partitaiva", "pi", "vat", "pivacf", "cfpiva", "codicefiscaleepartitaiva",
              "cfepiva", "iva")


def _vat_number(lines: Sequence[_Line], header_end: int) -> Found[str] | None:
    best: tuple[float, str] | None = None
    for line in lines:
        for position, number, mended in find_vat_numbers(line.text):
            before = _letters(line.text[max(0, position - 24) : position])
            labelled = any(before.endswith(label) or label in before[-12:] for label in _VAT_LABEL)
            score = 0.95 if labelled else 0.6
            if line.index > header_end:
                score -= 0.1  # the issuer's codes are in its heading
            if mended:
                score -= 0.1
            score *= line.confidence
            if best is None or score > best[0] + 1e-9:
                best = (score, number)
    if best is None:
        return None
    return Found(best[1], round(best[0], 3))


_PATIENT_LABEL = ("paziente", "cliente", "spett", "intestat", "sig", "assistito", "beneficiar",
                  "destinatario", "codicefiscale", "cf", "codfisc")
_ISSUER_CF_LABEL = ("dott", "dr", "medico", "piva", "partitaiva", "emittente")


def _patient_tax_code(lines: Sequence[_Line], header_end: int) -> Found[str] | None:
    """The patient's codice fiscale, not the doctor's printed beside the partita IVA."""
    candidates: list[tuple[float, str]] = []
    for line in lines:
        for position, code, mended in find_tax_codes(line.text):
            before = _letters(line.text[:position])
            on_vat_line = any(True for _ in find_vat_numbers(line.text))
            issuer_side = line.index < header_end or on_vat_line or any(
                label in before for label in _ISSUER_CF_LABEL
            )
            if issuer_side:
                continue
            score = 0.92 if any(label in before[-20:] for label in _PATIENT_LABEL) else 0.8
            if mended:
                score -= 0.1
            candidates.append((score * line.confidence, code))
    if not candidates:
        return None
    codes = {code for _, code in candidates}
    score, code = max(candidates)
    if len(codes) > 1:
        score *= 0.6  # two people on one receipt: ask
    return Found(code, round(score, 3))


# --- service lines ------------------------------------------------------------------------

_NOT_SERVICE = _NOT_TOTAL + ("totale", "iva", "pagament", "contant", "bancomat", "carta",
                             "descrizione", "importo", "prezzo", "resto", "pagato", "netto",
                             "saldo", "pos", "elettronic", "rt", "tel", "cap")
_VAT_RATE = re.compile(r"\s*(?:\b\d{1,2}(?:[,.]\d{1,2})?\s?%|\bES\b|\bN\d\b|\bE\b)\s*$", re.I)


def _service_lines(lines: Sequence[_Line], start: int, end: int | None) -> tuple[ServiceLine, ...]:
    services = []
    for line in lines:
        if line.index < start or (end is not None and line.index >= end):
            continue
        amounts = _amounts(line.numeric)
        if len(amounts) != 1 or amounts[0].end < len(line.numeric.rstrip(" €")) - 2:
            continue
        description = line.numeric[: amounts[0].start]
        description = re.sub(r"(?:€|\bEUR\b|\bEuro\b)\s*$", "", description, flags=re.I).strip()
        description = _VAT_RATE.sub("", description).strip(" .:-*x")
        description = re.sub(r"\s{2,}", " ", description)
        letters = _letters(description)
        words = {_letters(word) for word in description.split()}
        if len(letters) < 3 or words & set(_NOT_SERVICE) or any(
            word in letters for word in _NOT_SERVICE if len(word) > 4
        ):
            continue
        services.append(ServiceLine(description, amounts[0].value))
    return tuple(services)


# --- the whole receipt --------------------------------------------------------------------


def extract_fields(
    text_lines: Sequence[TextLine], *, source: str = "", pages: int = 0,
    today: dt.date | None = None,
) -> Receipt:
    """Everything the lines say about the receipt; an empty Receipt when they say nothing."""
    lines = []
    for text_line in text_lines:
        text = clean(text_line.text)
        if text:
            lines.append(_Line(len(lines), text, digits_fixed(text),
                               max(0.0, min(1.0, text_line.confidence)), text_line.page))
    if not lines:
        return Receipt(source=source, pages=pages)
    today = today or dt.date.today()
    number, number_lines = _number(lines)
    date = _date(lines, number_lines, today)
    header_end = _header_end(lines, number_lines)
    total, total_line = _total(lines)
    return Receipt(
        date=date,
        total=total,
        number=number,
        issuer=_issuer(lines, header_end),
        vat_number=_vat_number(lines, header_end),
        patient_tax_code=_patient_tax_code(lines, header_end),
        lines=_service_lines(lines, header_end, total_line),
        source=source,
        pages=pages,
    )


def _header_end(lines: Sequence[_Line], number_lines: set[int]) -> int:
    """Where the issuer's heading ends: at the document's number, its first date or its first
    amount, whichever comes first (a cash receipt prints its number at the bottom)."""
    for line in lines:
        if (line.index in number_lines or _NUMERIC_DATE.search(line.numeric)
                or _WORD_DATE.search(line.numeric) or _amounts(line.numeric)):
            return line.index
    return min(len(lines), 6)
