"""Chat text as tokens: folded, chat shorthand expanded, typos of key words corrected."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

__all__ = ["Token", "fold", "tokenise"]

# Chat shorthand and common slips, to the word they stand for.
_SHORTHAND = {
    "nn": "non", "x": "per", "xke": "perche", "xche": "perche", "ke": "che", "k": "che",
    "cmq": "comunque", "qnd": "quando", "qndo": "quando", "qdo": "quando", "msg": "messaggio",
    "pls": "per favore", "plz": "per favore", "grz": "grazie", "graz": "grazie",
    "thx": "thanks", "tnx": "thanks", "ty": "thanks", "sn": "sono", "dv": "dove", "tt": "tutto",
    "anke": "anche", "ankora": "ancora", "cn": "con", "xo": "pero", "cm": "come", "ki": "chi",
    "qlc": "qualcosa", "qlcs": "qualcosa", "qlk": "qualche", "dp": "dopo", "+": "piu",
    "nulla": "niente", "pratik": "pratica", "rimb": "rimborso", "doc": "documento",
    "docs": "documenti", "info": "informazioni", "ricev": "ricevuto", "pk": "perche",
    "xk": "perche", "c": "ci", "e'": "e", "op": "operatore", "sx": "sinistra", "dx": "destra",
    "checkup": "check up", "ecg": "elettrocardiogramma", "tac": "tac", "rmn": "rm",
    "gg": "giorni", "sett": "settimana", "qnt": "quanto", "qto": "quanto", "qnto": "quanto",
}

# Words worth correcting when mistyped ("rimborzo", "reclammo", "promemoira"): long enough
# that one or two slips leave them recognisable, and not close to everyday words.
_KEYWORDS = frozenset(
    """
    rimborso rimborsi rimborsare rimborsato rimborsata rimborsati rimborsate rimborsate
    pratica pratiche richiesta richieste reclamo reclami reclamare operatore operatori
    promemoria notifiche notifica convenzionata convenzionate convenzionato convenzionati
    convenzione struttura strutture documento documenti documentazione allegato allegati
    prescrizione sospesa sospese liquidata liquidate liquidato liquidati respinta respinte
    respinto autorizzata autorizzate autorizzato autorizzazione annullata annullate indietro
    annulla annullare grazie buongiorno buonasera assistenza prenotare prenotazione clinica
    cliniche ospedale ospedali fattura ricevuta lamentela vorrei rifiutata rifiutato
    ricevuto poliambulatorio aggiornamenti aggiornamento situazione integrazione mancante
    cancella cancellare allegare aggiungere caricare lavorazione bonifico pagamento
    richiesto chiesto mancava mancano ricevute ricevuti fatture scontrino scontrini
    cartella cartelle referto referti ricetta ricette impegnativa certificato contattare
    contattarvi telefono telefonare autorizzativo rimborsano rimborserete rimborseranno
    rimborsera rimborsabile rimborsabili massimale franchigia scoperto fisioterapia
    """.split()
)
# Sorted: a typo as close to two keywords must always get the same one.
_CHOICES = tuple(sorted(_KEYWORDS))


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the message: `norm` is what rules read, `start`/`end` locate the original."""

    norm: str
    start: int
    end: int
    capitalised: bool


def fold(text: str) -> str:
    """Lower case without accents."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


_WORD = re.compile(r"[^\W_]+|\+|\?")
# Letters typed three or more times ("ciaooo", "grazieee") count once.
_REPEATS = re.compile(r"([a-z])\1{2,}")


def tokenise(text: str, protected: frozenset[str] = frozenset()) -> list[Token]:
    """The message's words; `protected` (folded names, towns) are never corrected."""
    tokens: list[Token] = []
    for match in _WORD.finditer(text):
        raw = match.group()
        word = _REPEATS.sub(r"\1", fold(raw))
        if word.isdigit() or word in protected:
            expanded = word
        else:
            expanded = _SHORTHAND.get(word) or _correct(word)
        capitalised = raw[:1].isupper()
        for part in expanded.split():
            tokens.append(Token(part, match.start(), match.end(), capitalised))
    return tokens


@lru_cache(maxsize=4096)
def _correct(word: str) -> str:
    if len(word) < 5 or word in _KEYWORDS or not word.isalpha():
        return word
    limit = 1 if len(word) < 8 else 2
    found = process.extractOne(
        word, _CHOICES, scorer=Levenshtein.distance, score_cutoff=limit
    )
    return found[0] if found else word
