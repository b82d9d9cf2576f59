"""Typed answers to choices: "luca", "Luca Rossi", "la seconda", "2", "io"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from nlu.lazy_patterns import lazy_compile
from nlu.spoken import without_fillers

_ORDINALS = {
    "primo": 1, "prima": 1, "uno": 1, "una": 1,
    "secondo": 2, "seconda": 2, "due": 2,
    "terzo": 3, "terza": 3, "tre": 3,
    "quarto": 4, "quarta": 4, "quattro": 4,
    "quinto": 5, "quinta": 5, "cinque": 5,
    "sesto": 6, "sesta": 6, "sei": 6,
    "settimo": 7, "settima": 7, "sette": 7,
    "ottavo": 8, "ottava": 8, "otto": 8,
    "nono": 9, "nona": 9, "nove": 9,
    "decimo": 10, "decima": 10, "dieci": 10,
}
# English
_ORDINALS.update({"first": 1, "one": 1, "second": 2, "two": 2, "third": 3, "three": 3,
                  "fourth": 4, "four": 4, "fifth": 5, "five": 5, "sixth": 6, "six": 6,
                  "seventh": 7, "seven": 7, "eighth": 8, "eight": 8})
_LAST = {"ultimo", "ultima", "last"}
# Words that carry no meaning when picking an option ("la seconda", "scelgo luca").
_FILLER = {
    "la", "il", "lo", "l", "le", "i", "gli", "un", "una", "uno", "di", "del", "della", "per",
    "scelgo", "scegli", "voglio", "vorrei", "opzione", "numero", "n", "quella", "quello",
    "a", "e", "mio", "mia", "figlio", "figlia", "moglie", "marito", "è", "e'", "pure",
    "the", "one", "option", "number", "my", "choose", "pick", "please", "take",
}


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces."""
    # A turn normalises the same message and option labels many times over: remember the
    # short ones (a huge message is not kept).
    if len(text) <= _REMEMBERED_CHARS:
        return _normalise_remembered(text)
    return _normalise(text)


_REMEMBERED_CHARS = 300


@lru_cache(maxsize=2048)
def _normalise_remembered(text: str) -> str:
    return _normalise(text)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w@.+]+|_", " ", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)
    return " ".join(text.split())


def match_choice(text: str, labels: Sequence[str], aliases: Sequence[Sequence[str]] = ()) -> int | None:
    """The index of the option the text names, or None when it names none or is ambiguous.

    `aliases[i]` are extra words that name option i ("io", "me" for the customer).
    """
    words = normalise(text).split()
    if not words or not labels:
        return None
    meaningful = [w for w in words if w not in _FILLER] or words
    position = _position(meaningful, len(labels))
    if position is not None:
        return position
    query = " ".join(meaningful)
    normalised_labels = [normalise(label) for label in labels]
    for i, label in enumerate(normalised_labels):
        if query == label:
            return i
    for i, names in enumerate(aliases):
        if query in {normalise(a) for a in names}:
            return i
    # Every typed word found in exactly one label ("luca", "anna rossi").
    hits = [i for i, label in enumerate(normalised_labels) if _all_words_in(meaningful, label)]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        return None
    scores = [fuzz.token_set_ratio(query, label) for label in normalised_labels]
    best = max(range(len(labels)), key=scores.__getitem__)
    runner_up = max((s for i, s in enumerate(scores) if i != best), default=0)
    if scores[best] >= 85 and scores[best] - runner_up >= 10:
        return best
    return None


def position_in(text: str, count: int) -> int | None:
    """The index a typed answer picks by its place in a list of `count` ("2", "la seconda")."""
    words = normalise(text).split()
    return _position([w for w in words if w not in _FILLER] or words, count)


# "Lascia: …" is chosen by words that say to keep the previous answer, never by resemblance:
# a corrected date or a shortened note looks like the old one and must not be swallowed by it.
_KEEP = lazy_compile(
    r"(?:(?:si|no|ok|allora)\s+)?"
    r"(?:lascia(?:lo|la|li|le)?(?:\s+(?:pure|stare\s+cosi))?|tieni(?:lo|la|li|le)?|mantieni"
    r"|va\s+bene|resta|rimane|uguale|invariat[oaie]|come\s+prima|non\s+cambiare"
    r"|(?:(?:lo|la|gli|le|i)\s+)?stess[oaie]|quell[oaie]\s+di\s+prima"
    r"|nessuna\s+modifica|niente\s+da\s+cambiare)"
    r"(?:\s+(?:cosi|com\s+e|com\s+era|come\s+prima|come\s+era|come\s+sta|a\s+prima"
    r"|di\s+prima|quell[oaie]\s+di\s+prima|pure|grazie|va\s+bene|uguale|stess[oaie]"
    r"|nulla|niente|la|lo|le|gli|quell[oaie]|data|date|nota|importo|numero|risposta))*"
)
# Alone, these words keep nothing: "va bene" is a yes, "resta" a fragment.
_KEEP_NOT_ALONE = {"va bene", "resta", "rimane", "si va bene", "ok va bene"}


_KEEP_ENGLISH = lazy_compile(
    r"(?:(?:yes|no|ok)\s+)?(?:keep(?:\s+it|\s+that|\s+the\s+same)?|leave\s+it|no\s+change"
    r"|unchanged|same(?:\s+as\s+before)?|the\s+same(?:\s+one)?|as\s+before|don\s+t\s+change"
    r"(?:\s+it)?)(?:\s+(?:please|thanks|as\s+it\s+is|as\s+it\s+was))*"
)


def keeps_previous(text: str) -> bool:
    """Whether a typed answer asks to keep the previous answer ("lascia", "va bene così",
    "uguale", "la stessa", "come prima"; "keep it", "same as before")."""
    words = normalise(text)
    if not words or len(words.split()) > 8 or words in _KEEP_NOT_ALONE:
        return False
    if _KEEP_ENGLISH.fullmatch(words) is not None:
        return True
    return _KEEP.fullmatch(words) is not None


def _position(words: list[str], count: int) -> int | None:
    if len(words) != 1:
        return None
    word = words[0]
    if word.isdigit() and len(word) <= 2:
        n = int(word)
        return n - 1 if 1 <= n <= count else None
    if word in _LAST:
        return count - 1
    ordinal = _ORDINALS.get(word)
    return ordinal - 1 if ordinal is not None and ordinal <= count else None


def _all_words_in(words: list[str], label: str) -> bool:
    label_words = label.split()
    return all(any(_close(w, lw) for lw in label_words) for w in words)


def _close(typed: str, word: str) -> bool:
    """Equal, or one slip away (two for long words): "lcua" is "luca"."""
    if typed == word:
        return True
    if len(typed) < 4:
        return False
    return OSA.distance(typed, word) <= (1 if len(typed) < 7 else 2)


_YES = {
    "si", "sì", "s", "certo", "certamente", "ok", "okay", "va bene", "confermo", "esatto",
    "giusto", "corretto", "yes", "y", "si grazie", "si confermo", "si certo", "perfetto", "vai",
    "procedi", "si annulla", "annulla pure", "si va bene", "sisi", "ovviamente", "d accordo",
    # "è giusto" typed fast or heard: the accent is often missing
    "e giusto", "e corretto", "e esatto", "e cosi", "e proprio cosi", "e tutto giusto",
    # English
    "yeah", "yep", "yes please", "sure", "of course", "correct", "right", "that s right",
    "that s correct", "yes it is", "yes that s right", "yes that s correct", "confirm",
    "confirmed", "go ahead", "exactly", "yes correct", "alright", "all right",
}
_NO = {
    "no", "n", "non", "no grazie", "nope", "sbagliato", "non e corretto", "non confermo",
    "annulla no", "no aspetta", "aspetta", "negativo", "non e giusto", "non e cosi",
    "e sbagliato",
    # English
    "no thanks", "no thank you", "wrong", "that s wrong", "not correct", "incorrect", "no it isn t",
    "no it s not", "wait", "not yet",
}


def yes_or_no(text: str) -> bool | None:
    """True for a yes, False for a no, None when the text is neither."""
    words = normalise(without_fillers(text))
    if words in _YES:
        return True
    if words in _NO:
        return False
    first = words.split(" ", 1)[0] if words else ""
    if first in {"si", "sì", "certo", "ok", "esatto", "confermo", "yes", "yeah", "yep", "sure"}:
        return True
    if first in {"no", "nope"}:
        return False
    return None


# Words that steer the conversation from any question. Matched on short messages only, so a
# note that happens to contain "annulla" stays a note.
COMMANDS = {
    "cancel": {
        "annulla", "annullare", "annulla richiesta", "annulla la richiesta", "voglio annullare",
        "lascia perdere", "lascia stare", "basta", "stop", "esci", "cancella", "cancel",
        "non voglio piu", "non mi interessa piu", "annulla tutto", "cancella tutto",
        "lascia perdere tutto", "non importa", "lasciamo perdere", "lasciamo stare",
        "lascia stare tutto", "annullare tutto", "voglio annullare tutto", "annulliamo",
        "annulliamo tutto", "annulla annulla", "annullo", "annullo tutto", "lascia perdere dai",
        "basta cosi", "fermati", "non voglio piu farlo", "non voglio continuare", "lascio perdere",
        "cancel it", "cancel this", "cancel the request", "cancel request", "forget it",
        "never mind", "nevermind", "quit", "exit", "i want to cancel",
    },
    "back": {
        "indietro", "torna indietro", "tornare indietro", "back", "domanda precedente",
        "precedente", "ho sbagliato", "ho sbagliato risposta", "torna alla domanda precedente",
        "torniamo indietro", "vai indietro", "andiamo indietro", "torna indietro di una domanda",
        "mi sono sbagliato", "mi sono sbagliata", "ho sbagliato a scrivere", "ho sbagliato a dire",
        "ho detto male", "ho scritto male", "domanda prima", "torna alla domanda prima",
        "torna a prima", "un passo indietro", "indietro di una domanda", "torna su",
        "go back", "previous", "previous question", "back please", "go back please", "undo",
        "i made a mistake", "wrong answer",
    },
    "help": {
        "aiuto", "help", "non capisco", "non ho capito", "cosa devo fare", "cosa devo scrivere",
        "come funziona", "?", "che devo fare", "info", "spiegami",
        "help me", "i need help", "what should i do", "what do i do", "how does it work",
        "i don t understand", "what do i write",
    },
    "greeting": {
        "ciao", "buongiorno", "buonasera", "salve", "hey", "ehi", "hello", "hi", "eccomi",
        "ci sono", "sono tornato", "sono tornata", "rieccomi", "start", "/start",
        "good morning", "good afternoon", "good evening", "hi there", "hello there",
    },
    "restart": {"ricomincia", "ricominciare", "da capo", "ricomincia da capo", "restart", "reset",
                "ricominciamo", "ricominciamo da capo", "ricomincio", "ricomincio da capo",
                "riparti da capo", "ripartiamo da capo", "di nuovo da capo",
                "voglio ricominciare", "vorrei ricominciare", "voglio ricominciare da capo",
                "vorrei ricominciare da capo",
                "start over", "start again", "begin again", "start from scratch"},
    "human": {
        "operatore", "parla con un operatore", "parlare con un operatore", "voglio un operatore",
        "persona", "una persona", "parlare con una persona", "assistenza", "human", "agent",
        "operator", "a person", "a real person", "talk to a person", "speak to a person",
        "talk to someone", "speak to someone", "talk to a human", "speak to an agent",
        "customer service",
    },
}


def command_in(text: str) -> str | None:
    """The navigation command a short message asks for, if any: one phrase, or the same
    command said twice over («lascia perdere, annulla tutto», «torna indietro, ho sbagliato»,
    with or without the comma), as people say it aloud, hesitations ("ehm", "allora") and
    courtesies ("no, annulla", "scusa, torna indietro per favore") around it."""
    words = normalise(without_fillers(text))
    if not words or len(words.split()) > _LONGEST_COMMAND:
        return None
    found = _command_phrase(words)
    if found is not None:
        return found
    parts = [normalise(part) for part in _CLAUSES.split(text)]
    said = {_command_phrase(part) for part in parts if part and part not in _FILLERS}
    if len(parts) > 1 and len(said) == 1 and None not in said:
        return said.pop()
    return _said_together(words.split())


# Clauses of a spoken command: "lascia perdere, annulla tutto".
_CLAUSES = lazy_compile(r"[,;.!]+|\s+e\s+")
# Words around a command that change nothing: "ok, annulla", "scusa, torna indietro".
_FILLERS = {"ok", "okay", "scusa", "scusami", "allora", "niente", "guarda", "senti", "dai",
            "no", "aspetta", "grazie", "per favore", "ti prego", "please", "sorry", "wait"}
_COURTESIES = (("per", "favore"), ("ti", "prego"))
# Longer messages are not commands, whatever words they contain: «annulla» in a note.
_LONGEST_COMMAND = 8


def _command_phrase(words: str) -> str | None:
    words = words.removeprefix("per favore ").removesuffix(" per favore")
    words = words.removeprefix("please ").removesuffix(" please")
    return _PHRASE_COMMAND.get(words)


_PHRASE_COMMAND = {phrase: command for command, phrases in COMMANDS.items()
                   for phrase in phrases}
_LONGEST_PHRASE = max(len(phrase.split()) for phrase in _PHRASE_COMMAND)
# Every word of a command message said without commas is one of these (checked first: most
# messages are not commands and leave at the first other word).
_COMMAND_WORDS = frozenset(word for phrase in [*_PHRASE_COMMAND, *_FILLERS]
                           for word in phrase.split())


def _said_together(words: list[str]) -> str | None:
    """«lascia perdere annulla tutto», «no aspetta torna indietro ho sbagliato»: the message
    cut into command phrases and fillers, all phrases giving the same command."""
    if len(words) < 2 or not all(word in _COMMAND_WORDS for word in words):
        return None
    # commands[i]: the commands the first i words can be read as (None: fillers only).
    commands: list[set[str | None]] = [{None}] + [set() for _ in words]
    for end in range(1, len(words) + 1):
        for start in range(max(0, end - _LONGEST_PHRASE), end):
            if not commands[start]:
                continue
            piece = " ".join(words[start:end])
            if piece in _FILLERS:
                commands[end] |= commands[start]
            elif (command := _PHRASE_COMMAND.get(piece)) is not None:
                commands[end] |= {command for earlier in commands[start]
                                  if earlier in (None, command)}
    found = commands[-1] - {None}
    return found.pop() if len(found) == 1 else None


def reminder_command(text: str) -> str | None:
    """"promemoria" (show), "promemoria no|sì" (reminders off|on), "aggiornamenti no|sì"
    (status-change messages off|on), or None when the text is about something else."""
    words = normalise(text.replace("/", " ")).split()
    if not words or len(words) > 8:
        return None
    subject = ("reminders" if {"promemoria", "reminder", "reminders"} & set(words)
               else "status" if {"aggiornamenti", "notifiche", "updates", "notifications"}
               & set(words) else None)
    if subject is None:
        return None
    negative = bool({"no", "non", "basta", "disattiva", "disattivare", "togli", "stop", "off",
                     "smetti", "niente"} & set(words))
    positive = bool({"si", "attiva", "riattiva", "attivare", "riattivare", "rimetti", "on",
                     "voglio", "vorrei", "yes", "want"} & set(words))
    if negative:
        return f"{subject}_off"
    if positive:
        return f"{subject}_on"
    return "show" if len(words) <= 2 else None
