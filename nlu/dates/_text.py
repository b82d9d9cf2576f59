"""Text normalisation for dates: lower case, no accents, number words as digits, typos fixed."""

from __future__ import annotations

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

from nlu.lazy_patterns import lazy_compile
from nlu.numbers import ordinal_value, strip_accents, words_to_digits

# fmt: off
MONTHS = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
)
WEEKDAYS = ("lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica")
MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, start=1)}
WEEKDAY_NUMBERS = {name: number for number, name in enumerate(WEEKDAYS)}

# Abbreviations are read as months only next to a number or after a preposition ("5 ott",
# "a ott"), and as weekdays only before a number ("mar 17"): alone, "mar", "ago" and "giu"
# are other words.
_MONTH_ABBREVIATIONS = {
    "gen": 1, "genn": 1, "feb": 2, "febb": 2, "mar": 3, "apr": 4, "mag": 5, "magg": 5,
    "giu": 6, "lug": 7, "ago": 8, "set": 9, "sett": 9, "ott": 10, "nov": 11, "dic": 12,
}
_WEEKDAY_ABBREVIATIONS = {
    "lun": 0, "mar": 1, "mer": 2, "merc": 2, "gio": 3, "giov": 3, "ven": 4, "sab": 5, "dom": 6,
}
_PREPOSITIONS = frozenset((
    "a", "ad", "di", "da", "dal", "dall", "al", "all", "del", "dell", "nel", "nell", "in", "e",
    "fino", "tra", "fra", "entro", "prima", "dopo", "inizio", "fine", "meta", "mese",
))

# Words worth correcting when misspelt ("setembre", "giovedi'", "prosimo").
_TYPO_TARGETS = (
    *MONTHS, *WEEKDAYS,
    "settimana", "settimane", "scorso", "scorsa", "prossimo", "prossima", "passato", "passata",
    "dopodomani", "stamattina", "ferragosto", "capodanno", "epifania", "pasquetta", "vigilia",
    "primavera", "autunno", "inverno", "trimestre", "semestre",
)
# Real words one letter away from a target: corrected only next to a number ("il 5 marco").
_LOOKALIKES = frozenset((
    "marco", "mazzo", "saggio", "raggio", "maggior", "maggiore", "aprire", "aprite", "apriti",
    "domenico", "gennaro", "corso", "scorse", "scorsi", "prossimi", "prossime", "passati",
    "passate", "settima", "giorno", "giorni", "mese", "mesi", "anno", "anni", "scorta",
    "scorte", "passano", "passare", "inverni", "estate", "estati", "autunni", "sabati",
))
# fmt: on
_KNOWN = frozenset(_TYPO_TARGETS) | _LOOKALIKES
_ORDINAL_FOLLOWERS = frozenset((*MONTHS, "trimestre", "semestre"))

_ORDINAL_MARK = lazy_compile(r"(\d)\s*[°º]|\b([1-9]|[12]\d|3[01])(?:o|a)\b")
_ACCENT_APOSTROPHE = lazy_compile(r"(?<=[aeiou])'(?=\s|$|[,.;:!?])")
_LETTER_DIGIT_DASH = lazy_compile(r"(?<=[a-z])[-/](?=[a-z\d])|(?<=\d)[-/](?=[a-z])")
_SPACED_SLASH = lazy_compile(r"(?<=\d)\s*/\s*(?=\d)")
_WORD_DOT = lazy_compile(r"(?<=[a-z])\.|(?<=\d)\.(?=\s|$)")
_PUNCTUATION = lazy_compile(r"[,;!?()\[\]{}\"«»“”<>*_~]|:(?!\d)|(?<!\d):")
_OLD_MONTHS = lazy_compile(r"\b(7|8|9|10)bre\b")  # "8bre" for ottobre, as on old forms
_GLUED = lazy_compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")  # "5novembre", "h11"
_SPACES = lazy_compile(r"\s+")


def _fix_typo(word: str) -> str:
    """The target a misspelt word stands for: one edit away, or two for long words."""
    if word in _KNOWN or len(word) < 4 or not word.isalpha():
        return word
    match = extractOne(word, _TYPO_TARGETS, scorer=OSA.distance, score_cutoff=2)
    if match is None:
        return word
    target, distance = str(match[0]), match[1]
    # Short words have too many one-letter neighbours: "mese" is not "marzo".
    allowed = 2 if len(word) >= 8 and len(target) >= 8 else 1 if len(target) >= 5 else 0
    return target if distance <= allowed else word


def _reads_as_month(token: str, previous: str, following: str) -> bool:
    """'5 ott', 'a ott', 'ott 2025'; 'mar' only after a day ('5 mar'), else it is martedi."""
    if previous.isdigit():
        return True
    if token == "mar":
        return False
    return previous in _PREPOSITIONS or following.isdigit() and len(following) == 4


def _canonical_tokens(tokens: list[str]) -> list[str]:
    """Expand abbreviations, fix misspellings and turn ordinals before a month into digits."""
    result = list(tokens)
    for index, token in enumerate(tokens):
        previous = tokens[index - 1] if index > 0 else ""
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token == "gg":
            result[index] = "giorni"
        elif token == "sett" and (
            following == "fa" or index >= 2 and tokens[index - 2] in ("tra", "fra")
        ):
            result[index] = "settimane"  # "2 sett fa", "tra 2 sett": weeks, not September
        elif token in _MONTH_ABBREVIATIONS and _reads_as_month(token, previous, following):
            result[index] = MONTHS[_MONTH_ABBREVIATIONS[token] - 1]
        elif token in _WEEKDAY_ABBREVIATIONS and following.isdigit() and not previous.isdigit():
            result[index] = WEEKDAYS[_WEEKDAY_ABBREVIATIONS[token]]
        elif token in _LOOKALIKES and (previous.isdigit() or following.isdigit()):
            result[index] = _fix_typo_near_number(token)
        elif token not in _KNOWN:
            result[index] = _fix_typo(token)
    # Ordinals count days only before a month ("terzo giorno" is not a date); "primo" always.
    for index, token in enumerate(result):
        following = result[index + 1] if index + 1 < len(result) else ""
        if token == "primo" or token.isalpha() and following in _ORDINAL_FOLLOWERS:
            value = ordinal_value(token)
            if value is not None:
                result[index] = str(value)
    return result


def _fix_typo_near_number(word: str) -> str:
    """Next to a number, "marco" is a misspelt "marzo" rather than a name."""
    match = extractOne(word, MONTHS, scorer=OSA.distance, score_cutoff=1)
    return str(match[0]) if match is not None else word


def normalise(text: str) -> str:
    """The text as the date grammar reads it.

    'Lunedi\u2019 scorso, l\u20198 Setembre alle 15' -> 'lunedi scorso l 8 settembre alle 15'
    """
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = text.replace("\u00b4", "'")
    text = _ORDINAL_MARK.sub(lambda match: (match.group(1) or match.group(2)) + " ", text)
    text = strip_accents(text)
    text = _ACCENT_APOSTROPHE.sub("", text)
    text = text.replace("'", " ")
    text = _OLD_MONTHS.sub(lambda match: MONTHS[int(match.group(1)) + 1], text)
    text = _GLUED.sub(" ", text)
    text = _LETTER_DIGIT_DASH.sub(" ", text)
    text = _SPACED_SLASH.sub("/", text)
    text = _WORD_DOT.sub(" ", text)
    text = _PUNCTUATION.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    text = words_to_digits(text)
    return " ".join(_canonical_tokens(text.split(" "))) if text else ""
