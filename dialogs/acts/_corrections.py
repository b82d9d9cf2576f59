"""Reading a correction in words: "anzi era per Luca", "ho sbagliato l'importo, erano 90",
"cambia la data del secondo documento in 3 novembre", "togli il documento 2". Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.matching import normalise
from nlu.lazy_patterns import lazy_compile

# How people name what they correct, by field kind (see Flow.fields). Normalised words.
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "amount": ("importo", "importi", "cifra", "prezzo", "costo", "totale", "somma", "euro",
               "costava", "costata", "costato", "ho pagato", "ho speso", "ho dato"),
    "date": ("data", "giorno", "giorni"),
    "number": ("numero fattura", "numero della fattura", "numero del documento",
               "numero documento", "numero della ricevuta", "numero"),
    "notes": ("nota", "note"),
    "year": ("anno",),
    "service": ("prestazione", "servizio"),
    "iban": ("iban", "conto corrente", "conto"),
    "email": ("email", "mail", "e mail", "indirizzo email"),
    "payee": ("rimborso a", "intestatario", "accredito"),
    "person": ("beneficiario", "paziente", "persona"),
    "policy": ("polizza",),
    "guarantee": ("garanzia",),
}
# Words that deny what follows them.
_DENIALS = {"non", "mica", "no"}
# Field names that are verbs: they say the value follows ("costava 45 euro").
_VERB_FIELDS = ("costava", "costata", "costato", "ho pagato", "ho speso", "ho dato")
# Openings that mark a correction ("anzi", "scusa", "ho sbagliato ...").
_MARKERS = (
    "anzi", "scusa", "scusami", "scusate", "pardon", "ops", "oops", "no aspetta", "aspetta",
    "perdona", "perdonami", "rettifico", "rettifica", "correzione", "mi correggo", "ah", "oh",
    "ehm", "uh", "ho detto male", "sbagliavo", "errata corrige", "non era",
    "ho sbagliato", "mi sono sbagliato", "mi sono sbagliata", "ho scritto male", "errore",
    "in realta", "volevo dire", "intendevo", "correggo", "correggi", "correggere", "cambia",
    "cambiare", "modifica", "modificare", "metti", "sostituisci", "no",
)
# Verbs that ask for a change explicitly: they make a correction of the field they name.
_CHANGE_VERBS = ("ho sbagliato", "cambiarlo", "cambiarla", "correggerlo", "correggerla",
                 "modificarlo", "modificarla", "mi sono sbagliato", "mi sono sbagliata", "ho scritto male",
                 "correggi", "correggere", "correggo", "cambia", "cambiare", "modifica",
                 "modificare", "metti", "sostituisci")
_MODAL = lazy_compile(r"(?:(?:io|allora|scusa|ah)\s+)?(?:voglio|vorrei|volevo|devo|dovrei|posso|potrei"
                      r"|puoi|potresti|potete|bisogna|si puo|mi fai|fammi|dovete)\s+")
_REMOVE_VERBS = ("togli", "togliere", "rimuovi", "rimuovere", "elimina", "eliminare", "cancella",
                 "cancellare", "leva", "levare", "scarta")
# Where the new value starts: "in 90", "con 90", "era il 3", "erano 90", "è 90", ": 90".
_VALUE_AFTER = lazy_compile(
    r"\b(?:in|con|a|era|erano|e|diventa|sono|non era|va messo|deve essere|giusto e|giusta e)\b")
_ORDINALS = {
    "primo": 1, "prima": 1, "secondo": 2, "seconda": 2, "terzo": 3, "terza": 3, "quarto": 4,
    "quarta": 4, "quinto": 5, "quinta": 5, "sesto": 6, "sesta": 6, "ultimo": -1, "ultima": -1,
}
_ITEM_NOUNS = ("documento", "documenti", "fattura", "fatture", "ricevuta", "ricevute",
               "scontrino", "scontrini", "spesa", "doc")
# "(la visita) era per Luca", "è stata fatta per mia moglie".
_FOR_PERSON = lazy_compile(r"\b(?:(?:era|erano|e|e stata|e stato|e stata fatta|e stato fatto) per"
                           r"|l ha fatta|l ha fatto|l ha fatte|e stata fatta da|e stato fatto da"
                           r"|l ha fatta per|l ha fatto per|la ha fatta) (.+)")
# Words around the field's name that say nothing of the value ("ho messo l'importo sbagliato").
_COMMENTARY = {"e", "era", "erano", "che", "sbagliato", "sbagliata", "sbagliati", "anche", "ho",
               "messo", "scritto", "inserito", "dato", "detto", "mio", "mia", "ma", "pero",
               "invece", "giusto", "giusta", "corretto", "corretta", "vero", "vera", "esatto",
               "esatta", "reale", "ti", "vi", "c", "sopra", "qui"}
# "la data è sbagliata": the field is named, the value will follow.
_NOT_A_VALUE = {"sbagliato", "sbagliata", "sbagliati", "sbagliate", "errato", "errata",
                "sbagliato devo cambiarlo", "da cambiare", "da correggere"}
_ARTICLES = {"il", "lo", "la", "l", "i", "gli", "le", "un", "una", "uno", "di", "del", "della",
             "dello", "dei", "delle", "per", "nel", "nella", "sul", "sulla"}


@dataclass(frozen=True, slots=True)
class Correction:
    """What a correction names. `field` None: not named (found from the value, if at all);
    `item` is 1-based (-1: the last); `value` None: the customer will say it next."""

    field: str | None
    value: str | None
    item: int | None = None
    # Opened by a correction word ("anzi", "cambia"), not only "<field> era ...".
    marked: bool = False
    # Asked with a verb of change ("cambia", "ho sbagliato"): a clear correction.
    explicit: bool = False


@dataclass(frozen=True, slots=True)
class Removal:
    """"togli il documento 2": which item (1-based, -1 the last), of a list named by the words
    of `noun` ("documento", "documento medico")."""

    item: int | None
    noun: str


def _opens(before: str) -> bool:
    """Whether the words before "era per <name>" leave it an assertion: a few words, and not
    a denial ("non è per Anna" says who it is not for)."""
    words = before.split()
    return len(words) <= 3 and not (words and words[-1] in _DENIALS)


def find_correction(text: str) -> Correction | None:
    """The correction `text` asks for, or None when it reads as a plain answer."""
    words = normalise(text)
    if not words or len(words.split()) > 25:
        return None
    markers = []
    rest = words
    while (marker := _marker(rest)) and len(markers) < 3:
        markers.append(marker)
        rest = rest[len(marker):].strip()
    marker = markers[0] if markers else ""
    explicit = any(_MODAL.sub("", m) in _CHANGE_VERBS for m in markers)
    item, rest_without_item = _item(rest)
    field, field_end = _field(rest_without_item)
    if field is not None:
        tail = rest_without_item[field_end:]
        value = _value(tail)
        # "<field> era 90" is a correction even without a marker; "importo 90" is not.
        said_was = bool(re.match(r"\s*(?:giust[oa]\s+|corrett[oa]\s+|ver[oa]\s+)?"
                                 r"(?:era|erano|e|sono|non era)\b", tail))
        # "costava 45 euro", "ho pagato 45": the verb says what it was.
        said_was = said_was or rest_without_item[:field_end].rstrip().endswith(_VERB_FIELDS)
        if not marker and not said_was:
            return None
        return Correction(field, _original(text, value), item, bool(marker), explicit)
    if item is not None:
        # "la seconda fattura era di 35 euro": an item and its new value, the field unnamed.
        match = re.search(r"\b(?:era|erano|e|costava|costa|vale|valeva)\s+(?:di\s+|da\s+)?(.+)$",
                          rest_without_item)
        if match:
            value = _value(match.group(1)) or match.group(1)
            return Correction(None, _original(text, value), item, bool(marker), False)
    if not marker:
        # "era per Luca" with no opening word still corrects who it was for.
        match = _FOR_PERSON.search(words)
        if match and _opens(words[:match.start()]):
            return Correction("person", _original(text, match.group(1)), None, False, False)
        return None
    if marker == "non era":
        # "non era per Anna" says who it was not for: only a person named after it counts
        # ("non era per Anna, era per Luca").
        match = re.search(r"\b(?:era|e) per (.+)$", rest)
    else:
        match = _FOR_PERSON.search(rest) or re.match(r"per (.+)", rest)
        match = match if match and _opens(rest[:match.start()]) else None
    if match:
        return Correction("person", _original(text, match.group(1)), None, True, explicit)
    if marker == "no" and not rest:
        return None
    if marker == "non era":
        # "non era il 10, era il 12 novembre": the value after the second "era".
        match = re.search(r"\b(?:ma|bensi)?\s*(?:era|erano|e)\s+(.+)$", rest)
        if match is None:
            return None
        return Correction(None, _original(text, match.group(1)), item, True, False)
    value = _value(rest) or (rest or None)
    return Correction(None, _original(text, value), item, True, explicit)


def find_removal(text: str) -> Removal | None:
    """"togli il documento 2", "elimina la seconda fattura", "rimuovi l'ultima ricevuta"."""
    words = normalise(text)
    verb = next((v for v in _REMOVE_VERBS if words == v or words.startswith(v + " ")), None)
    if verb is None or len(words.split()) > 10:
        return None
    rest = words[len(verb):].strip()
    item, _ = _item(rest)
    nouns = " ".join(w for w in rest.split() if w not in _ARTICLES and not w.isdigit()
                     and w not in _ORDINALS)
    return Removal(item, nouns)


def _marker(words: str) -> str:
    # "voglio cambiare", "puoi correggere": a change asked politely is still a change.
    modal = _MODAL.match(words)
    if modal and any(words[modal.end():].startswith(v + " ") or words[modal.end():] == v
                     for v in _CHANGE_VERBS):
        verb = next(v for v in _LONGEST_VERBS_FIRST if words[modal.end():].startswith(v))
        return words[:modal.end()] + verb
    for marker in _LONGEST_MARKERS_FIRST:
        if words == marker or words.startswith(marker + " "):
            return marker
    return ""


# Sorted and compiled once (they were on every call): the longest first, so that "no
# aspetta" wins over "no" and "scusami" over "scusa".
_LONGEST_MARKERS_FIRST = tuple(sorted(_MARKERS, key=len, reverse=True))
_LONGEST_VERBS_FIRST = tuple(sorted(_CHANGE_VERBS, key=len, reverse=True))
_NOUNS = "|".join(_ITEM_NOUNS)
_ORDINAL_WORDS = "|".join(_ORDINALS)
_ITEM_PATTERNS = tuple(lazy_compile(pattern) for pattern in (
    rf"(?:(?:del|della|dello|nel|nella|il|la|lo|l|sul|sulla)\s+)?({_ORDINAL_WORDS})\s+"
    rf"(?:{_NOUNS})(?:\s+di spesa)?",
    rf"(?:(?:del|della|dello|nel|nella|il|la|lo|l|sul|sulla)\s+)?(?:{_NOUNS})"
    r"(?:\s+di spesa|\s+medic[oaie]|\s+fiscale)?\s+(?:n\s+|numero\s+)?(\d{1,2})\b",
    rf"(?:del|della|dello|dell|nel|nella|sul|sulla)\s+({_ORDINAL_WORDS})\b",
))
# Each field's names as whole words, compiled once: most answers are looked at for a
# correction, and building some forty patterns each time cost more than searching them.
_FIELD_PATTERNS = tuple((kind, lazy_compile(rf"(?<!\w){re.escape(name)}(?!\w)"))
                        for kind, names in FIELD_WORDS.items() for name in names)


def _field(text: str) -> tuple[str | None, int]:
    """The first field named in `text` (articles allowed before it) and where its name ends."""
    best: tuple[int, int, str] | None = None
    for kind, pattern in _FIELD_PATTERNS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]
                      or match.start() == best[0] and match.end() > best[1]):
            best = (match.start(), match.end(), kind)
    if best is None:
        return None, 0
    # A field word deep in the value ("era il 3 euro"?) does not name the field.
    before = text[:best[0]].split()
    if any(w not in _ARTICLES and w not in _COMMENTARY for w in before):
        return None, 0
    return best[2], best[1]


def _item(text: str) -> tuple[int | None, str]:
    """The item a text names ("del secondo documento", "documento 2", "dell'ultima fattura"),
    and the text without those words."""
    for pattern in _ITEM_PATTERNS:
        match = pattern.search(text)
        if match:
            word = match.group(1)
            item = int(word) if word.isdigit() else _ORDINALS[word]
            return item, (text[:match.start()] + " " + text[match.end():]).strip()
    return None, text


def _value(tail: str) -> str | None:
    """The new value after the field's name: "in 90 euro" -> "90 euro", "era il 3" -> "il 3"."""
    tail = tail.strip(" ,.:;")
    match = _VALUE_AFTER.search(tail)
    if match and not tail[:match.start()].strip(" ,"):
        tail = tail[match.end():]
    elif match and all(w in _ARTICLES or w in _COMMENTARY for w in tail[:match.start()].split()):
        tail = tail[match.end():]
    value = tail.strip(" ,.:;")
    if value in _NOT_A_VALUE:
        return None
    return value or None


def _original(text: str, value: str | None) -> str | None:
    """The end of `text` as typed that reads as `value` ("85,50", not "85 50")."""
    if value is None:
        return None
    for start in range(len(text) - 1, -1, -1):
        if start and text[start - 1].isalnum() and text[start].isalnum():
            continue
        if normalise(text[start:]) == value:
            return text[start:].strip(" ,.:;")
    return value
