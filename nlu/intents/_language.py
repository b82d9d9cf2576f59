"""A light check that a message is written in English rather than Italian."""

from __future__ import annotations

import re

__all__ = ["language"]

# Words that are English and not also Italian ("come", "do", "me", "a", "in", "so" are both).
_ENGLISH = frozenset(
    """
    the my your you is are am was were have has had i'm im i've dont don't doesnt can't cant
    would could should will what where when why how who which this that these those there
    please thanks thank hello hey good morning evening afternoon need want like get got
    with from about for of and or but not it its it's at by be been being speak english
    italian understand sorry help money claim claims refund refunds insurance invoice
    receipt doctor visit appointment book booking paid pay status request requests sent
    send month ago week year son daughter wife husband dental cardiology hospital clinic
    did does any some just yes yeah can call back anyone someone there speaks tell give
    """.split()
)
# Italian words common in chat, to weigh against the English ones.
_ITALIAN = frozenset(
    """
    il lo la gli le un una uno di del della dei delle che e ho ha hai abbiamo sono mi ti ci
    vi per con non si al alla ai alle dal dalla nel nella sul sulla mio mia miei mie tuo tua
    questo questa quello quella perche quando dove cosa come vorrei voglio grazie ciao
    buongiorno rimborso pratica richiesta visita fattura quanto anche ancora gia piu
    """.split()
)
_WORD = re.compile(r"[a-z']+")


def language(text: str) -> str:
    """"en" when most of the words are English and at least two are, else "it"."""
    words = _WORD.findall(text.casefold())
    english = sum(1 for w in words if w in _ENGLISH and w != "i")
    italian = sum(1 for w in words if w in _ITALIAN)
    # "I" counts only as the capital pronoun, never the Italian article "i".
    english += len(re.findall(r"(?<![\w'])I(?![\w'])", text))
    if english >= 2 and english >= 2 * italian and english * 2 >= len(words):
        return "en"
    return "it"
