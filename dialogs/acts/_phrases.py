"""What a message asks besides answering: a person, the cover, what was said so far, how to
reach the insurer, to send the summary, to start something new. Pure functions on words."""

from __future__ import annotations

from dialogs.matching import normalise
from nlu.lazy_patterns import lazy_compile

_PERSON = lazy_compile(
    r"\b(?:operatore|operatrice|operatori|persona|umano|qualcuno|consulente|addetto|addetta)\b")
_ASK_PERSON = lazy_compile(
    r"\b(?:parlare|parlo|parla|passi|passa|passami|passare|passate|chiamare|chiami|chiamami"
    r"|metti|mettimi|mettere|contatto|collegami|collega|collegare|sentire"
    r"|contattare|voglio|vorrei|volevo|posso|potrei|c e|serve|mettermi|sentire|scrivere)\b")
# "è coperta?", "me la rimborsate?", "quanto mi rimborsano?", "la polizza la copre?"
_COVER = lazy_compile(
    r"\b(?:copert[oaie]|copre|coprono|copri|coprite|coprirete|copra|copriranno|rientra"
    r"|rimborsabil[ei]|rimborsate|rimborsano|rimborsa"
    r"|rimborserete|rimborseranno|franchigia|massimale|scoperto|quanto (?:mi )?(?:ridate|date"
    r"|danno|tornate|torna))\b")
# "cosa ti ho detto finora?", "a che punto siamo?", "fammi vedere i dati"
_RECAP = lazy_compile(
    r"\b(?:cosa (?:ti )?ho (?:scritto|detto|messo|inserito)|a che punto siamo|riassumi"
    r"|riepilogo|fammi vedere (?:i dati|cosa)|che dati hai|cosa hai capito|cosa hai segnato)\b")
_CONTACT = lazy_compile(
    r"\b(?:numero verde|numero di telefono|servizio clienti|call center|come (?:vi )?(?:contatto"
    r"|posso contattarvi|chiamarvi)|telefono dell assistenza|vostro numero)\b")
# "perché mi chiedi l'IBAN?", "a cosa serve?", "cosa vuol dire?": about the pending question.
_WHY = lazy_compile(r"^(?:ma |scusa |e )?(?:perche|come mai|a cosa serve|a che serve|cosa vuol dire"
                    r"|che vuol dire|cosa significa|che significa|cosa intendi|in che senso"
                    r"|cosa devo (?:mettere|scrivere|rispondere))\b")
_BACK = lazy_compile(r"^(?:(?:per favore|scusa|puoi|possiamo)\s+)?(?:torna|tornare|torniamo|vai|andiamo"
                     r"|ritorna|ritorniamo)\s+(?:indietro|alla domanda (?:di prima|precedente|prima)"
                     r"|a prima|al passo (?:di prima|precedente)|alla precedente)"
                     r"(?:\s+per favore)?$")
_QUESTION_START = {"come", "cosa", "che", "quando", "quanto", "quanti", "quale", "quali",
                   "perche", "dove", "chi", "posso", "potete", "puoi", "e", "ma", "mi", "la",
                   "lo", "il"}
# Sending what the summary shows: "ok manda", "vai", "sì invia", "invia pure", "confermo".
_SEND = {"manda", "mandala", "mandalo", "mandate", "invia", "inviala", "invialo", "inviare",
         "spedisci", "spediscila", "procedi", "procediamo", "vai", "andiamo", "conferma",
         "confermo", "confermiamo", "ok", "okay", "okk", "perfetto", "esatto", "giusto",
         "corretto", "si", "sisi", "certo", "bene", "va", "tutto"}
_SEND_FILLER = {"pure", "allora", "dai", "la", "richiesta", "adesso", "ora", "grazie", "e",
                "tutto", "ok", "si", "va", "bene", "vanno", "sono", "giusti", "dati", "i",
                "subito", "puoi", "mandarla", "inviarla", "per", "favore", "pf", "pls", "cosi",
                "direi", "benissimo", "fatto", "possiamo"}
_SEND_VERBS = {"manda", "mandala", "mandalo", "mandate", "invia", "inviala", "invialo", "inviare",
               "spedisci", "spediscila", "procedi", "procediamo", "vai", "andiamo", "conferma",
               "confermo", "confermiamo", "mandarla", "inviarla"}
_NOT = {"non", "no", "aspetta", "ancora", "prima", "attendi", "fermo", "ferma", "stop"}
# Opening something new: "voglio prenotare una visita", "devo chiedere un altro rimborso".
_START = lazy_compile(
    r"\b(?:voglio|vorrei|volevo|devo|dovrei|posso|bisogna|mi serve|avrei bisogno di|ho bisogno di"
    r"|facciamo|fare|apri|aprire|inizia|iniziare|nuovo|nuova|altro|altra)\b")
_NEW_VERB = lazy_compile(
    r"\b(?:prenotare|prenota|prenotazione|chiedere|richiedere|fare|aprire|iniziare|presentare"
    r"|un altro|un altra|nuovo|nuova)\b")
_ANOTHER = lazy_compile(r"\b(?:un altro|un altra|altro|altra|nuovo|nuova|secondo|seconda)\b")


def asks_for_person(text: str) -> bool:
    """"mi passi un operatore per favore", "posso parlare con qualcuno?", "voglio una persona"."""
    words = normalise(text)
    if len(words.split()) > 14:
        return False
    return bool(_PERSON.search(words) and _ASK_PERSON.search(words))


def asks_about_cover(text: str) -> bool:
    """"è coperta dalla polizza?", "quanto mi rimborsate?": a question about what is covered."""
    words = normalise(text)
    return _is_question(text, words) and bool(_COVER.search(words))


def asks_for_recap(text: str) -> bool:
    """"cosa ti ho scritto finora?", "a che punto siamo?": what this request holds so far."""
    words = normalise(text)
    return len(words.split()) <= 12 and bool(_RECAP.search(words))


def asks_for_contact(text: str) -> bool:
    """"qual è il numero verde?", "come vi contatto?"."""
    words = normalise(text)
    return len(words.split()) <= 14 and bool(_CONTACT.search(words))


def asks_to_go_back(text: str) -> bool:
    """"torna alla domanda di prima", "torniamo indietro", "vai a prima": «indietro» in words."""
    return bool(_BACK.match(normalise(text)))


def asks_why(text: str) -> bool:
    """"perché mi chiedi l'IBAN?", "a cosa serve?": a question about the pending question."""
    words = normalise(text)
    return len(words.split()) <= 14 and bool(_WHY.match(words))


def says_send(text: str) -> bool:
    """At a summary: "ok manda", "vai", "sì invia", "invia pure", "confermo", "tutto ok"."""
    words = normalise(text).split()
    if not words or len(words) > 8 or set(words) & _NOT:
        return False
    if not all(w in _SEND or w in _SEND_FILLER for w in words):
        return False
    # A verb of sending, or a whole-hearted yes ("ok", "sì, va bene", "tutto giusto").
    return bool(set(words) & _SEND_VERBS) or len(words) <= 5


def starts_something(text: str) -> bool:
    """Whether the message asks to open something ("voglio prenotare", "un altro rimborso")."""
    words = normalise(text)
    return bool(_START.search(words) and _NEW_VERB.search(words))


def asks_another(text: str) -> bool:
    """"un altro rimborso", "una nuova richiesta": one more of the same kind."""
    return bool(_ANOTHER.search(normalise(text)))


def _is_question(text: str, words: str) -> bool:
    first = words.split(" ", 1)[0] if words else ""
    return "?" in text or first in _QUESTION_START
