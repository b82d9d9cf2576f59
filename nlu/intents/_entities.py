"""The entities of a message: request number, person or relation, status, place, service."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

from nlu.intents._names import AMBIGUOUS_NAMES, FIRST_NAMES, RELATIONS
from nlu.intents._text import Token, fold
from nlu.intents._towns import TOWN_ALIASES, TOWNS
from nlu.lazy_patterns import lazy_compile
from nlu.spoken import written_form

__all__ = [
    "find_cap",
    "find_person",
    "find_place",
    "find_relation",
    "find_request_id",
    "find_service",
    "find_services",
    "find_status",
    "is_service_head",
    "known_words",
]

_REQUEST_ID = lazy_compile(r"(?<![\d.,/])\d{8}(?![\d.,/]\d)")
# Worth reading for a number said in words or groups: a digit word, or digits then a space.
_SAID_NUMBER = lazy_compile(
    r"\b(?:zero|uno|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|venti\w*|\w+mila\w*)\b"
    r"|\d[ -]\d", re.IGNORECASE)
_CAP = lazy_compile(r"(?<![\d.,/])\d{5}(?![\d.,/]\d)")
_MONTHS_AND_DAYS = frozenset(
    """
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre
    dicembre lunedi martedi mercoledi giovedi venerdi sabato domenica natale pasqua
    """.split()
)


def find_request_id(text: str) -> str | None:
    """A request number: 8 digits on their own (26000112), also typed in groups or said in
    words as people dictate it ("26 000 112", "ventisei zero zero zero uno uno due")."""
    match = _REQUEST_ID.search(text)
    if match is None and _SAID_NUMBER.search(text):
        match = _REQUEST_ID.search(written_form(text))
    return match.group() if match else None


def find_cap(text: str) -> str | None:
    """An Italian postcode: 5 digits in the range the post office uses."""
    for match in _CAP.finditer(text):
        if 10 <= int(match.group()) <= 98168:
            return match.group()
    return None


# -- people ------------------------------------------------------------------------------------


def find_person(tokens: Sequence[Token], people: Sequence[str]) -> str | None:
    """The first name the message names: one of `people` as given, else a common first name
    (or a capitalised word after "di"/"per"), capitalised."""
    household = {fold(name).strip(): name for name in people if name.strip()}
    for token in tokens:
        if token.norm in household:
            return household[token.norm]
    for i, token in enumerate(tokens):
        if token.norm not in FIRST_NAMES:
            continue
        if token.norm in AMBIGUOUS_NAMES and not (token.capitalised and i > 0):
            continue
        return token.norm.capitalize()
    # An unusual name, capitalised after "di" or "per": "le pratiche di Ginevra".
    for before, token in itertools.pairwise(tokens):
        if (
            before.norm in {"di", "per", "for"}
            and token.capitalised
            and token.norm.isalpha()
            and len(token.norm) >= 3
            and token.norm not in _MONTHS_AND_DAYS
            and token.norm not in _towns()
            and token.norm not in known_words()
        ):
            return token.norm.capitalize()
    return None


def find_relation(tokens: Sequence[Token]) -> str | None:
    """A family word ("mio figlio", "mia moglie") or "io" for "per me"."""
    norms = [t.norm for t in tokens]
    for i, word in enumerate(norms):
        if word in RELATIONS:
            return RELATIONS[word]
        if word in {"me", "myself"} and i > 0 and norms[i - 1] in {"per", "for", "a"}:
            return "io"
        if word == "sottoscritto":
            return "io"
    return None


# -- status ------------------------------------------------------------------------------------

_END = r"[aeio]\b"
_STATUS_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("annullata", lazy_compile(rf"\b(annullat|cancellat){_END}|\bcancell?ed\b|\bwithdrawn\b")),
    (
        "respinta",
        lazy_compile(
            rf"\b(respint|rifiutat|rigettat|bocciat|negat|scartat){_END}"
            rf"|\bnon (e |sono )?(stat[aeio] )?(autorizzat|approvat|accettat|rimborsat){_END}"
            r"|\b(rejected|declined|denied|refused)\b"
        ),
    ),
    ("autorizzata", lazy_compile(rf"\b(autorizzat|approvat){_END}|\b(authori[sz]ed|approved)\b")),
    (
        "liquidata",
        lazy_compile(rf"\bliquidat{_END}|\bpaid\b|\bsaldat{_END}|\b(did|have) you (pay|paid)\b"),
    ),
    (
        "sospesa",
        lazy_compile(
            rf"\bsospes{_END}|\bin sospeso\b|\bbloccat{_END}|\bsuspended\b|\bon hold\b"
            r"|\bin attesa di (documenti|integrazion)"
        ),
    ),
    (
        "aperta",
        lazy_compile(
            rf"\bapert{_END}|\bin corso\b|\bin lavorazione\b|\bpendent[ei]\b|\bin attesa\b"
            r"|\bnon (ancora )?(chius|conclus|definit)|\bopen\b|\bpending\b"
            r"|\bda (evadere|lavorare)\b|\bancora attiv"
        ),
    ),
)
# "pagato" is the insurer's payment unless the customer speaks of paying ("ho pagato").
_PAID = lazy_compile(rf"\b((\w+) )?((\w+) )?pagat{_END}")
_PAYER_WORDS = frozenset({"ho", "abbiamo", "avevo", "avevamo", "hai", "io", "pagare"})


def find_status(norm: str) -> str | None:
    """The status a question names: aperta (not final), sospesa, liquidata, respinta,
    autorizzata or annullata."""
    for status, pattern in _STATUS_RULES:
        if pattern.search(norm):
            return status
    for match in _PAID.finditer(norm):
        if not {match.group(2), match.group(4)} & _PAYER_WORDS:
            return "liquidata"
    return None


# -- places ------------------------------------------------------------------------------------

# Words after which a town is a place ("a Genova", "vicino a Torino", "zona Bari").
_BEFORE_PLACE = frozenset(
    {"a", "ad", "in", "vicino", "zona", "presso", "pressi", "provincia", "near", "around",
     "at", "dintorni", "area", "citta", "comune"}
)
# Towns that are also everyday words ("cento", "fondi"): only after a preposition.
_WORD_TOWNS = frozenset({"cento", "fondi", "massa", "prato", "lodi", "mira", "bra", "vasto",
                         "marino", "alba", "sora", "este", "mola", "ala", "vittoria"})
_BEFORE_PLACE_LOOSE = _BEFORE_PLACE | {"di", "del", "della", "per", "da", "su", "of"}


@lru_cache(maxsize=1)
def _towns() -> dict[str, str]:
    names = {" ".join(re.findall(r"[^\W_]+", fold(town))): town for town in TOWNS}
    names.update(TOWN_ALIASES)
    return names


def find_place(tokens: Sequence[Token], facility: bool) -> str | None:
    """A town named as a place; `facility` (the message looks for facilities) lets any
    preposition, or none, introduce it."""
    towns = _towns()
    norms = [t.norm for t in tokens]
    before = _BEFORE_PLACE_LOOSE if facility else _BEFORE_PLACE
    for i in range(len(norms)):
        introduced = i > 0 and norms[i - 1] in before
        for size in range(min(5, len(norms) - i), 0, -1):
            name = " ".join(norms[i : i + size])
            if name not in towns:
                continue
            capitalised = tokens[i].capitalised and i > 0
            if introduced or capitalised or (facility and size > 1) or _alone(norms, i, size):
                return towns[name]
    if facility:
        for i in range(len(norms)):
            for size in range(min(5, len(norms) - i), 0, -1):
                name = " ".join(norms[i : i + size])
                if name in towns and name not in known_words() and name not in _WORD_TOWNS:
                    return towns[name]
    return None


def _alone(norms: Sequence[str], i: int, size: int) -> bool:
    return i == 0 and size == len(norms)


# -- services ----------------------------------------------------------------------------------

# Words that start the name of a service ("visita oculistica", "rm del ginocchio") or name it
# by the specialist ("fattura del dentista").
_SERVICE_HEADS = frozenset(
    """
    visita visite esame esami ecografia ecografie eco risonanza risonanze rm tac radiografia
    radiografie rx lastra lastre analisi intervento interventi operazione ricovero
    fisioterapia seduta sedute elettrocardiogramma holter mammografia ecodoppler doppler
    colonscopia gastroscopia endoscopia check controllo terapia ortodonzia otturazione
    devitalizzazione pulizia agopuntura densitometria moc spirometria biopsia pap prelievo
    test vaccino tampone scintigrafia pet dentista oculista cardiologo dermatologo ginecologo
    ortopedico otorino otorinolaringoiatra pediatra neurologo urologo endocrinologo fisiatra
    psicologo allergologo gastroenterologo pneumologo oncologo reumatologo nutrizionista
    dietologo chirurgo senologo fisioterapista osteopata logopedista psichiatra ostetrica
    parto cataratta tonsille appendicite ernia menisco
    """.split()
)
_SERVICE_SUFFIX = lazy_compile(r"(ectomia|scopia|grafia|plastica|tomia|terapia|logica|logico)$")
_CONNECTORS = frozenset(
    """
    del della dello dei degli delle dell al alla allo all ai agli alle dal dalla dallo dall
    di d con a
    """.split()
)
_STOPPERS = frozenset(
    """
    per che e ho ha hai mi ti ci vi si non il lo la i gli le un una uno mio mia miei mie tuo
    tua suo sua nostro nostra ieri oggi domani scorso scorsa scorsi prossimo prossima fa
    settimana mese anno giorno fatto fatta fatte fatti pagato pagata ricevuto e stato stata
    sono rimborso rimborsi rimborsare rimborsato richiesta richieste pratica pratiche
    fattura ricevuta ?
    """.split()
)


# Words that end a service's name: how, when, where it was done or asked ("privatamente").
_AFTER_NAME = frozenset(
    """
    come quando dove quanto perche privatamente privato privata ora adesso gia ancora anche
    posso potete vorrei voglio volevo devo mi ci euro costo costa presso da
    """.split()
)
# Punctuation between two words ends the name: "visita dermatologica, come li riavete".
_PUNCTUATION = lazy_compile(r"[,;:.!?()\[\]\n]")


# Head words that also qualify the service before them ("visita ortopedica di controllo").
_QUALIFIERS = frozenset({"controllo", "check", "seduta", "sedute", "terapia", "test"})


def is_service_head(word: str) -> bool:
    """Whether a folded word starts a service's name ("visita", "ecografia", "tac")."""
    return word in _SERVICE_HEADS or bool(_SERVICE_SUFFIX.search(word))


def find_service(tokens: Sequence[Token], text: str, people: Sequence[str]) -> str | None:
    """The service's words as typed ("visita oculistica"), from a head word to the first word
    that is no longer part of the name (a person, a date, "per", a comma)."""
    found = find_services(tokens, text, people)
    return found[0] if found else None


def find_services(tokens: Sequence[Token], text: str, people: Sequence[str]) -> list[str]:
    """Every service named, as typed, in order: "visita cardiologica, ecg e esami del sangue"
    names three."""
    names = {fold(p) for p in people} | FIRST_NAMES
    found: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not is_service_head(token.norm):
            i += 1
            continue
        last = _name_end(tokens, text, i, names)
        span = text[token.start : tokens[last].end]
        if span not in found:
            found.append(span)
        # "ecg" expands to one token per word: skip the rest of the same typed word too.
        i = last + 1
        while i < len(tokens) and tokens[i].start == tokens[last].start:
            i += 1
    return found


def _name_end(tokens: Sequence[Token], text: str, i: int, names: set[str] | frozenset[str]) -> int:
    """The last token of the service name starting at token `i`."""
    last = i
    j = i + 1
    while j < len(tokens) and j - i < 6:
        word = tokens[j].norm
        if tokens[j].start == tokens[i].start:
            j += 1  # the same typed word ("check-up" -> "check up")
            last = j - 1
            continue
        if word in _STOPPERS or word in names or word in _MONTHS_AND_DAYS or word.isdigit():
            break
        if word in _AFTER_NAME or _PUNCTUATION.search(text[tokens[j - 1].end:tokens[j].start]):
            break
        if (word in _SERVICE_HEADS and word not in _QUALIFIERS
                and tokens[j - 1].norm not in _CONNECTORS):
            break  # the next service begins ("visita dal dentista" is one)
        if word in _CONNECTORS:
            nxt = tokens[j + 1].norm if j + 1 < len(tokens) else ""
            if not nxt or nxt in _STOPPERS or nxt in names or nxt in _MONTHS_AND_DAYS:
                break
            if nxt.isdigit():
                break
        else:
            last = j
        j += 1
    return last


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Words with a meaning of their own here, never read as a name or a town."""
    from nlu.intents._rules import VOCABULARY

    return VOCABULARY | _SERVICE_HEADS | _STOPPERS | _CONNECTORS
