"""A transcript as a person would have typed it: numbers said a digit at a time joined
("ventisei zero zero zero uno uno due" -> "26000112"), amounts and times said in words
("centoventi euro e cinquanta" -> "120,50 euro", "alle nove e trenta" -> "alle 9:30"), an IBAN
said in groups written as one code. Speech recognisers write some of these in digits and some
in words; the text path reads the written form."""

from __future__ import annotations

import re

from nlu.numbers import strip_accents, word_value

__all__ = ["FILLERS", "spoken_iban", "without_fillers", "written_amounts", "written_form"]

_DIGIT_WORDS = {
    "zero": "0", "uno": "1", "due": "2", "tre": "3", "quattro": "4", "cinque": "5",
    "sei": "6", "sette": "7", "otto": "8", "nove": "9",
}
# Groups of digits ("26 000 112", "26-000-112") are one number when together this long.
_LONG_NUMBER = 6
# At least this many single digits said one after the other are a code, not a count.
_DIGIT_RUN = 3
_TOKEN = re.compile(r"\w+|[^\w\s]+", re.UNICODE)
_SEI_COUNTS = re.compile(r" (?:euro|€|mesi|anni|giorni|settimane|ore|visite|sedute|\d)")
_MINUTE_WORDS = {"mezza": 30, "mezzo": 30, "quarto": 15}


# Hesitations and words that only hold the floor ("ehm", "allora", "praticamente"): said
# before, after or inside any answer, typed too, they carry nothing a step reads.
FILLERS = frozenset(
    "ehm ehmm ehhm eh ehh uhm umh um mmh mhm mmm mm beh bè allora dunque praticamente cioè "
    "cioe diciamo insomma ecco".split())
_FILLER = re.compile(
    r"(?<![\w'])(?:e+h+m*|u+h*m+|m{2,}h*|m+h+m*|beh|bè|allora|dunque|praticamente|cio[eè]"
    r"|diciamo|insomma|ecco)(?![\w'])[\s,.;:!?…-]*", re.IGNORECASE)


def without_fillers(text: str) -> str:
    """`text` without hesitations and filler words ("ehm, allora, annulla" -> "annulla");
    the text itself when it is nothing but fillers."""
    if not _FILLER.search(text):
        return text
    kept = " ".join(_FILLER.sub(" ", text).split()).strip(" ,;.")
    return kept or text


def written_form(text: str) -> str:
    """The transcript with numbers written as digits; anything else left as it was said."""
    text = " ".join(text.split())
    text = _iban(text)
    text = _join_said_digits(text)
    text = _numbers_in_digits(text)
    text = _join_digit_groups(text)
    text = written_amounts(text)
    return _times(text)


def _join_said_digits(text: str) -> str:
    """Runs of digit words (and digits) said one by one, separated by spaces or commas."""
    words = text.split(" ")
    out: list[str] = []
    run: list[str] = []

    def close() -> None:
        digits = [_single_digit(w) for w in run]
        said = sum(1 for w in run if _word(w) in _DIGIT_WORDS)
        single = sum(1 for w in run if len(_word(w)) == 1)
        if len(run) >= _DIGIT_RUN and (said >= 2 or single >= 4):
            out.append("".join(d for d in digits if d) + _trailing(run[-1]))
        else:
            out.extend(run)
        run.clear()

    for word in words:
        if _single_digit(word) is not None and (not run or not _trailing(run[-1])
                                                 or _trailing(run[-1]) == ","):
            run.append(word)
            continue
        close()
        if _single_digit(word) is not None:
            run.append(word)
        else:
            out.append(word)
    close()
    return " ".join(out)


def _word(token: str) -> str:
    return strip_accents(token.lower()).strip(".,;:!?")


def _trailing(token: str) -> str:
    stripped = token.rstrip(".,;:!?")
    return token[len(stripped):]


def _single_digit(token: str) -> str | None:
    """'sei' -> '6', '7' -> '7', 'ventisei' -> '26' (digits said in pairs count too)."""
    word = _word(token)
    if word in _DIGIT_WORDS:
        return _DIGIT_WORDS[word]
    if word.isdigit() and len(word) <= 3:
        return word
    value = word_value(word) if word.isalpha() and word not in ("un", "una") else None
    return str(value) if value is not None and value < 100 else None


def _numbers_in_digits(text: str) -> str:
    """Number words written as digits ('duemilaventisei' -> '2026'); articles kept."""

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = strip_accents(word.lower())
        if lower in ("un", "uno", "una") or lower == "sei" and not _SEI_COUNTS.match(
                match.string, match.end()):
            return word  # articles; "sei" is as often "you are" as six
        value = word_value(lower)
        return str(value) if value is not None else word

    text = re.sub(r"[^\W\d_]+", replace, text)
    # "cento 20" and "2000 26", said as two words, are one number.
    return re.sub(r"\b(\d00|\d000) (\d{1,2})\b(?! ?[.,:/]\d)",
                  lambda m: str(int(m.group(1)) + int(m.group(2))), text)


_GROUPS = re.compile(r"\b\d{1,4}(?:[ -]\d{1,4})+\b")


def _join_digit_groups(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        joined = re.sub(r"[ -]", "", match.group(0))
        groups = re.split(r"[ -]", match.group(0))
        if _is_date(groups):
            return match.group(0)  # "21 11 2026" is a day, said as numbers
        # Two numbers side by side are a code only when every group but the first is
        # written in full (000, 112): "12 2026" is a date, "3 4" two counts.
        if len(joined) >= _LONG_NUMBER and all(len(g) >= 2 for g in groups[1:]):
            return joined
        return match.group(0)

    return _GROUPS.sub(replace, text)


def _is_date(groups: list[str]) -> bool:
    """Day, month and year ("21 11 2026", "3 12 26"), as people say a date in numbers."""
    if len(groups) != 3 or len(groups[2]) not in (2, 4) or len(groups[0]) > 2:
        return False
    day, month = int(groups[0]), int(groups[1])
    return 1 <= day <= 31 and 1 <= month <= 12 and len(groups[1]) <= 2


_EURO_AND_CENTS = re.compile(
    r"\b(\d+) (euro|€) e (\d{1,2})(?: (?:centesimi|cent))?\b", re.IGNORECASE)
# "novanta virgola cinquanta", "centocinquanta virgola zero zero" (digits said one by one).
_COMMA_WORD = re.compile(r"\b(\d+) virgola (\d{1,2}|(?:zero|\d)(?: (?:zero|\d))?)\b",
                         re.IGNORECASE)
# "dieci euro e mezzo": fifty cents.
_AND_A_HALF = re.compile(r"\b(\d+) (euro|€) e mezzo\b", re.IGNORECASE)
# "mille e duecento", "duemila e cinquecento": the thousands and the hundreds said apart.
_THOUSANDS_AND = re.compile(r"\b([1-9]\d?000) e ([1-9]\d\d)\b")


def written_amounts(text: str) -> str:
    """Amounts said in words, once their numbers are digits, written as typed: "120 euro e
    50" -> "120,50 euro", "90 virgola cinquanta" -> "90,50", "1000 e 200" -> "1200"."""
    text = _THOUSANDS_AND.sub(lambda m: str(int(m.group(1)) + int(m.group(2))), text)
    text = _EURO_AND_CENTS.sub(lambda m: f"{m.group(1)},{int(m.group(3)):02d} {m.group(2)}",
                               text)
    text = _AND_A_HALF.sub(lambda m: f"{m.group(1)},50 {m.group(2)}", text)

    def decimals(match: re.Match[str]) -> str:
        said = match.group(2).lower().replace("zero", "0").replace(" ", "")
        return f"{match.group(1)},{said}"

    return _COMMA_WORD.sub(decimals, text)


_TIME = re.compile(
    r"\b(alle|ore|le|verso le|dalle|per le|entro le) (\d{1,2}) e "
    r"(\d{1,2}|mezza|mezzo|un quarto)\b(?! (?:euro|€))", re.IGNORECASE)


def _times(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        hour = int(match.group(2))
        said = match.group(3).lower()
        minute = _MINUTE_WORDS.get(said.removeprefix("un "), None)
        if minute is None:
            minute = int(said)
        if hour > 23 or minute > 59:
            return match.group(0)
        return f"{match.group(1)} {hour}:{minute:02d}"

    return _TIME.sub(replace, text)


# An Italian IBAN said in groups ("I T sei zero, X zero cinque...", "IT 60 X 0542 8111...",
# "it sessanta ics zero cinquecentoquarantadue..."): the country, then letters and digits
# (said one by one, in numbers or written) up to its 27 characters.
_IBAN_START = re.compile(r"\b[Ii] ?[Tt]i?\b")
_IBAN_PIECE = re.compile(r"[\s,.;:-]*([^\W\d_]+|\d+)")
_IBAN_LENGTH = 27
# Italian names of letters, as a bank's check letter (CIN) is spelt aloud.
_LETTER_NAMES = {
    "a": "A", "bi": "B", "ci": "C", "di": "D", "e": "E", "effe": "F", "gi": "G", "acca": "H",
    "elle": "L", "emme": "M", "enne": "N", "o": "O", "pi": "P", "cu": "Q", "erre": "R",
    "esse": "S", "ti": "T", "u": "U", "vu": "V", "zeta": "Z", "ics": "X", "ipsilon": "Y",
    "kappa": "K", "i": "I", "j": "J", "w": "W",
}
_TWO_WORD_LETTERS = {("doppia", "vu"): "W", ("doppio", "vu"): "W", ("i", "lunga"): "J"}


def spoken_iban(text: str) -> str | None:
    """The Italian IBAN said or typed in groups and words in `text` ("I T sei zero X zero
    cinque quattro due ..."), compact; None when there is none of the right length. Its
    check digits are not verified here (nlu.identifiers.parse_iban does)."""
    for start in _IBAN_START.finditer(text):
        code, _ = _iban_from(text, start.end())
        if code is not None:
            return code
    return None


def _iban(text: str) -> str:
    for start in _IBAN_START.finditer(text):
        code, end = _iban_from(text, start.end())
        if code is not None:
            return text[:start.start()] + code + _iban(text[end:])
    return text


def _iban_from(text: str, end: int) -> tuple[str | None, int]:
    """The IBAN whose country code ends at `end`, and where it ends in `text`."""
    code = "IT"
    while len(code) < _IBAN_LENGTH:
        piece = _IBAN_PIECE.match(text, end)
        if piece is None:
            break
        word = piece.group(1)
        lower = strip_accents(word.lower())
        following = _IBAN_PIECE.match(text, piece.end())
        pair = (lower, strip_accents(following.group(1).lower())) if following else None
        if pair in _TWO_WORD_LETTERS:
            assert following is not None
            code += _TWO_WORD_LETTERS[pair]
            end = following.end()
            continue
        if word.isdigit():
            code += word
        elif lower in _DIGIT_WORDS:
            code += _DIGIT_WORDS[lower]
        elif (value := word_value(lower)) is not None and lower not in ("un", "una"):
            code += str(value)  # "sessanta", "cinquecentoquarantadue"
        elif lower in _LETTER_NAMES and len(code) == 4:
            code += _LETTER_NAMES[lower]  # the check letter, fifth, after the check digits
        elif len(word) == 1 and word.isalpha():
            code += word.upper()
        else:
            break
        end = piece.end()
    if len(code) == _IBAN_LENGTH and code[2:4].isdigit() and code[4].isalpha():
        return code, end
    return None, end
