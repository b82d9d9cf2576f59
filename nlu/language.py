"""The conversation's language: Italian or English, read from what the customer writes.

`detect` is a light word count, measured on tests/nlu/language_dev.jsonl (`medbot eval
language`): short chat messages are too short for a statistical identifier, and what matters is
not to switch on "ok", "si", a number, a name or a code, so it answers only when at least two
words are clearly of one language and that language dominates. `asked_for` reads a request to
change it ("in English please", "parla italiano"). `current` is the language of the turn being
handled (a context variable, set by `speaking`), read by the catalogues and the formatting of
dates and amounts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from nlu.lazy_patterns import lazy_compile

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "LanguageScore",
    "adopt",
    "asked_for",
    "babel_locale",
    "chosen",
    "current",
    "detect",
    "only_asks_for_language",
    "score",
    "speaking",
]

LANGUAGES = ("it", "en")
DEFAULT = "it"
_LOCALES = {"it": "it_IT", "en": "en_GB"}

_current: ContextVar[str] = ContextVar("medbot_language", default=DEFAULT)


def current() -> str:
    """The language of the turn being handled ("it" outside any)."""
    return _current.get()


def babel_locale(language: str | None = None) -> str:
    """The CLDR locale dates and amounts are written in, for `language` (default: current)."""
    return _LOCALES.get(language or current(), _LOCALES[DEFAULT])


def adopt(language: str) -> None:
    """`language` from now on in this task (a turn's, for the channel rendering its replies)."""
    _current.set(language if language in LANGUAGES else DEFAULT)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Texts and formats in `language` for the block."""
    token = _current.set(language if language in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


# Words that are English and not also Italian ("come", "do", "me", "a", "in", "so", "no",
# "ok", "help", "check", "up" are written in Italian chats too).
_ENGLISH = frozenset(
    """
    the my your you is are am was were have has had i'm im i've i'd i'll dont don't doesnt
    doesn't didnt didn't can't cant cannot won't wont isn't isnt wasn't haven't hasn't
    would could should will what where when why how who which this that these those there
    their they them he she his her hers our ours we us it's its it
    please pls plz thanks thank thx hello hey hi good morning evening afternoon night
    need needs want wants like get got make made know see look find found show tell give
    with from about for of and or but not at by be been being into onto over after before
    then than just also only still yet already very much many more most some any every
    speak english italian understand sorry money claim claims refund refunds refunded
    reimbursement reimbursed insurance insured policy invoice invoices receipt receipts
    bill bills doctor doctors visit visits appointment appointments book booked booking
    paid pay payment status request requests sent send submit submitted month months ago
    week weeks year years day days today yesterday tomorrow son daughter wife husband
    child children kid kids mother father mom dad family myself
    dental dentist cardiology hospital clinic exam exams eye eyes tests blood scan
    did does do done yes yeah yep nope can may might call back anyone someone something
    anything nothing speaks wrong right correct change cancel stop start over again
    upload uploaded document documents photo picture attached attach
    where's what's how's there's that's let's i'd you're we're they're
    new old first second third last next other another same own
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    one two three four five six seven eight nine ten twenty thirty hundred
    euros pounds dollars amount total price cost costs lot all to talk real previous
    question near an make complaint sure let mine someone's everything okay
    """.split()
)
# Words that are Italian and not also English ("a", "in", "no", "come", "me", "ok").
_ITALIAN = frozenset(
    """
    il lo la gli le un una uno di del dello della dei degli delle che e è ho ha hai abbiamo
    avete hanno sono sei siamo siete era ero mi ti ci vi si al allo alla ai agli alle dal
    dallo dalla dai dagli dalle nel nello nella nei negli nelle sul sullo sulla sui sugli
    sulle mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra vostro vostra
    questo questa questi queste quello quella quelli quelle perche perché poi pero però
    quando dove cosa come vorrei voglio vuoi puoi posso può puo devo deve dobbiamo fare
    fatto fatta grazie ciao buongiorno buonasera salve arrivederci prego scusa scusi
    rimborso rimborsi pratica pratiche richiesta richieste visita visite fattura fatture
    ricevuta ricevute scontrino quanto quanta quanti quante anche ancora già gia più piu
    molto tanto tutto tutti niente nulla qualcosa sempre mai oggi ieri domani mese mesi
    anno anni giorno giorni settimana figlio figlia moglie marito mamma papà papa bambino
    esame esami analisi sangue occhi oculistica dentista pagato pagata pagati pagamento
    soldi euro medico ospedale prenotare prenotazione prenotato appuntamento sospesa
    sospeso annulla indietro aiuto ricomincia avanti basta sì certo esatto giusto sbagliato
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre
    dicembre lunedì martedì mercoledì giovedì venerdì sabato domenica
    italiano inglese parlo parli parla capisco capito capisce non ne né con per tra fra
    sto stai sta stiamo ecco allora quindi invece però bene male va vai andare mille
    manca mancano manda mandami togli capo nessuna nessun nota faccio dopo perfetto
    documento serve servono quale quali qual cioè tipo ultimo ultima prima seconda
    """.split()
)
_WORD = lazy_compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# English contractions ("son's", "don't", "I'm") are English whatever the word.
_CONTRACTION = lazy_compile(r"^[a-z]+'(s|t|m|re|ll|ve|d)$")
# An Italian elision ("l'importo", "dell'esame", "c'è") is Italian.
_ELISION = lazy_compile(r"^(l|dell|all|dall|nell|sull|un|d|c|quest|quell|po)'")
# At least this many words of a language, and twice the other's, before it is chosen.
_AT_LEAST = 2


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("’", "'"))


def _counts(text: str) -> tuple[int, int, int]:
    """(English words, Italian words, words) in the text."""
    english = italian = 0
    written = [w.replace("’", "'") for w in _WORD.findall(text)]
    words = [w.casefold() for w in written]
    for index, word in enumerate(words):
        if word == "i":
            # The pronoun when a capital or before an English word ("i need"); never the
            # Italian article ("i rimborsi").
            following = words[index + 1] if index + 1 < len(words) else ""
            english += written[index] == "I" or following in _ENGLISH
        elif _ELISION.match(word) or word in _ITALIAN or _italian_accent(word):
            italian += 1
        elif word in _ENGLISH or _CONTRACTION.match(word):
            english += 1
    return english, italian, len(words)


def _italian_accent(word: str) -> bool:
    """A word ending in an accented vowel ("perché", "città", "può") is Italian."""
    return len(word) > 1 and unicodedata.decomposition(word[-1]).startswith(
        ("0061 0300", "0065 0300", "0065 0301", "0069 0300", "006F 0300", "0075 0300"))


def detect(text: str) -> str | None:
    """"en" or "it" when the text is clearly written in it, else None (too short, or only
    names, numbers, codes and words both languages use: "ok", "si", "Luca", "26000112")."""
    english, italian, words = _counts(text)
    if english >= _AT_LEAST and english >= 2 * italian and english * 3 >= words:
        return "en"
    if italian >= _AT_LEAST and italian >= 2 * english:
        return "it"
    return None


_NAMES = {"english": "en", "inglese": "en", "italian": "it", "italiano": "it"}
_NEGATION = frozenset("non not no dont don't cannot can't cant nope".split())
# A request for a language is short: longer messages say something else too.
_REQUEST_WORDS = 8
# Words that may surround a language's name in a bare request ("in English please").
_REQUEST_FILLER = frozenset(
    """
    in please pls plz english inglese italian italiano speak speaks write talk answer reply
    switch change to can could you we me us let's lets the language lingua per favore
    parla parli parlare scrivi scrivere scrivimi parlami rispondi rispondimi possiamo puoi
    potresti in ok okay si sì yes thanks grazie hi hello ciao do does is there anyone
    who someone somebody una persona che good morning afternoon evening hey buongiorno
    buonasera salve
    """.split()
)


def asked_for(text: str) -> str | None:
    """The language the customer asks to be written in: "in English please", "english",
    "do you speak english?", "parla italiano", "in italiano"; "I don't speak Italian" asks
    for English, "non parlo inglese" for Italian. None when no language is asked for."""
    words = _words(text)
    if not words or len(words) > _REQUEST_WORDS:
        return None
    named = [(i, w) for i, w in enumerate(words) if w in _NAMES]
    if len(named) != 1:
        return None
    index, name = named[0]
    language = _NAMES[name]
    if any(w in _NEGATION for w in words[max(0, index - 3):index]):
        return "it" if language == "en" else "en"
    return language


def only_asks_for_language(text: str) -> bool:
    """The message asks for a language and says nothing else ("in English please")."""
    if asked_for(text) is None:
        return False
    return all(w in _REQUEST_FILLER or w in _NAMES or w in _NEGATION for w in _words(text))


def chosen(previous: str, text: str | None) -> str:
    """The conversation's language after the customer's message `text`: the one asked for,
    else the one the message is clearly written in, else the one it was."""
    if not text:
        return previous
    return asked_for(text) or detect(text) or previous


@dataclass
class LanguageScore:
    """`detect` on labelled lines: right answers, and the two mistakes that matter: the
    wrong language for a message written in one, a language for a message written in none."""

    lines: int = 0
    right: int = 0
    wrong_language: int = 0
    switched_on_neutral: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.lines if self.lines else 0.0


def score(rows: Iterable[Mapping[str, Any]]) -> LanguageScore:
    """Rows of {"text", "language": "it" | "en" | null (neither: "ok", a name, a number)}."""
    result = LanguageScore()
    for row in rows:
        got, wanted = detect(row["text"]), row["language"]
        result.lines += 1
        if got == wanted:
            result.right += 1
            continue
        if wanted is None:
            result.switched_on_neutral += 1
        elif got is not None:
            result.wrong_language += 1
        result.misses.append(f"{row['text']!r}: {got or '-'}, atteso {wanted or '-'}")
    return result
