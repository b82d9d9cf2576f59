"""Questions about the cover, before or while asking for a reimbursement: how much comes back,
whether a service is covered, which documents, how much of the massimale is left, how long it
takes, direct service or reimbursement. Read on the folded, shorthand-expanded message."""

from __future__ import annotations

import re

from nlu.lazy_patterns import lazy_compile

__all__ = ["COVER_ASKS", "cover_asked"]

# What a cover question asks, in the order they are tried.
COVER_ASKS = ("compare", "left", "times", "estimate", "documents", "covered")

_WILL_PAY = (
    r"(rimborsate|rimborsano|rimborserete|rimborseranno|rimborsera|rimborsa|rimborsi|ridate"
    r"|ridanno|ridarete|ridai|date|danno|darete|daranno|dai|tornate|torna|tornano|tornera"
    r"|torneranno|restituite|restituirete|restituiscono|riconoscete|riconoscerete|pagate"
    r"|pagherete|coprite|copre|copri|rimborserebbe|rimborsereste|dareste|darebbero"
    r"|spetta|spettano|recupero|recuperero|prendo|prendero|riavro|riavrei|ottengo|otterrei)"
)
_SERVICE = (
    r"(visita|visite|esame|esami|risonanz[ae]|rm|tac|ecografi[ae]|eco|radiografi[ae]|analisi"
    r"|fisioterapia|sedut[ae]|intervento|ricovero|prestazion[ei]|controllo|dentista|terapia"
    r"|mammografia|colonscopia|gastroscopia|elettrocardiogramma|check up|riabilitazione"
    r"|ortopedica|cardiologica|oculistica|dermatologica|ginecologica|agopuntura)"
)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "conviene la diretta o il rimborso?", "meglio in convenzione o a rimborso?"
    ("compare", lazy_compile(
        r"\b(conviene|meglio|converrebbe|differenza|cosa mi conviene|che mi conviene)\b.*"
        r"\b(dirett[ao]|convenzion\w*|rete|rimborso|rimborsi)\b.*\b(o|oppure|rispetto|vs)\b"
        r"|\b(dirett[ao]|convenzion\w*|rete) (o|oppure|vs) (il |a |in )?(rimborso|rimborsi"
        r"|indirett[ao])\b"
        r"|\b(rimborso|indirett[ao]) (o|oppure|vs) (la |in |forma )*(dirett[ao]|convenzion\w*|"
        r"rete)\b"
        r"|\bquanto (pago|spendo|mi costa|costa|devo pagare|pagherei)\b.*"
        r"\b(convenzion\w*|in rete|dirett[ao]|struttura convenzionata)\b"
    )),
    # "quanto mi resta del massimale?", "massimale residuo", "quanto posso ancora spendere"
    ("left", lazy_compile(
        r"\bmassimal[ei]\b.*\b(rest[aoi]|residu[oi]|rimast[oi]|rimane|avanza|disponibile"
        r"|usat[oi]|consumat[oi]|speso|quanto|raggiunt[oi]|finit[oi]|esaurit[oi])\b"
        r"|\b(rest[aoi]|residu[oi]|rimast[oi]|rimane|quanto)\b.*\bmassimal[ei]\b"
        r"|\bquanto (mi |ci |gli |le )?(resta|rimane|avanza)\b(?!.*\bpratica\b)"
        r"|\bquant[ei] sedut[ae] (\w+ ){0,3}(restano|rimangono|ho ancora|posso ancora)"
        r"|\bquanto (posso|possiamo) ancora (spendere|farmi rimborsare|chiedere)\b"
    )),
    # "quanto ci mettete di solito?", "in quanto tempo rimborsate?", "tempi di rimborso"
    ("times", lazy_compile(
        r"\bquanto (tempo )?(ci )?(mettete|mettono|impiegate|ci vuole|tempo ci vuole"
        r"|ci si mette|ci vorra)\b"
        r"|\b(in |entro )?quanto tempo\b"
        r"|\bquanti giorni (ci )?(vogliono|servono|mettete|ci vogliono|per)\b"
        r"|\b(tempi|tempistic[ah]e?) (di|del|della|per il|per la|medi)\b"
        r"|\bentro quando (mi )?(pagate|rimborsate|rispondete|autorizzate)\b"
        r"|\bdopo quanto (mi )?(pagate|rimborsate|arriva|arrivano|rispondete)\b"
    )),
    # "quanto mi rimborsano?", "quanto mi date per una risonanza da 300 euro per Anna?"
    ("estimate", lazy_compile(
        rf"\bquanto (mi |ci |gli |le |lo |la )?(\w+ )?{_WILL_PAY}\b"
        r"|\bquanto (mi |ci |gli |le )?(viene|verra|verrebbe|sara|sarebbe|e) "
        r"(rimborsat[oa]|restituit[oa]|riconosciut[oa]|pagat[oa]|coperto)\b"
        r"|\bquanto (posso|potrei|possiamo) (avere|ottenere|recuperare|farmi rimborsare"
        r"|riavere)\b"
        r"|\b(stima|calcol[oa]|simulazione|preventivo) (del |di |dell )?(rimborso|quanto)\b"
        r"|\b(a )?quanto (ammonta|ammonterebbe|sarebbe|sara) (il )?rimborso\b"
        r"|\bdi quanto (sara|sarebbe) (il )?rimborso\b"
        r"|\bquanto (rimborsate|rimborsano|ridate|coprite|copre|pagate)\b"
        # "e se fossero 120 euro?": the estimate again, for another amount.
        r"|^(e |ma )?se (\w+ ){0,2}(fossero|fosse|costasse|costassero|spendessi|pagassi|spendo"
        r"|pago|costa|costano|era|erano) (\w+ ){0,3}\d+ (euro|eur)\b"
    )),
    # "che documenti servono?", "cosa devo allegare?"
    ("documents", lazy_compile(
        r"\b(che|quali|cosa|che cosa) (document[oi]|carte|fogli|allegati|certificati)"
        r" (\w+ ){0,3}(servono|serve|occorrono|occorre|bisogna|vanno|devo|dovrei|ci vogliono"
        r"|richiedete|chiedete|servirebbero)\b"
        r"|\b(cosa|che cosa) (devo|dovrei|bisogna) (allegare|presentare|caricare|portare)\b"
        r"|\b(cosa|che cosa) (serve|servono|occorre) (per|x) (il |un |la |una )?"
        r"(rimborso|richiesta|pratica|chiedere)\b"
        r"|\bserve (la |una |il )?(prescrizione|ricetta|impegnativa|referto)\b"
    )),
    # "è coperta la fisioterapia?", "mi coprite la fisioterapia?", "la polizza copre la tac?"
    ("covered", lazy_compile(
        r"\b(e|sono|sara|sarebbe|sarebbero|risulta|risultano) (\w+ ){0,3}(copert[oaie]"
        r"|rimborsabil[ei]|inclus[oaie]|previst[oaie]|garantit[oaie])\b"
        r"|\b(copert[oaie]|rimborsabil[ei]|inclus[oaie]) (dalla|nella|con la|dall) "
        r"(mia |nostra )?(polizza|assicurazione|garanzia)\b"
        r"|\b(mi |ci |gli |le |la |lo |li )?(coprite|copre|coprono|copri|rimborsate|rimborsa"
        r"|rimborsano|passa|passate) (\w+ ){0,3}" + _SERVICE + r"\b"
        + r"|\b" + _SERVICE + r" (\w+ ){0,3}(e|sono|viene|vengono) (\w+ )?(copert[oaie]"
        r"|rimborsat[oaie]|rimborsabil[ei]|pagat[oaie])\b"
        r"|\b(rientra|rientrano) (nella|nelle|in) (polizza|garanzi[ae]|copertur[ae])\b"
        r"|\b(avete|ho|abbiamo) (la )?copertura (per|x)\b"
        r"|\bcopertura (per|x|della|del|dell) "
    )),
)
# The past ("quanto mi avete dato"): a paid request's amount, not an estimate.
_PAST = lazy_compile(
    r"\b(avete|hanno|ha|ho|abbiamo|e stato|e stata|sono stati|mi e stato) (gia )?"
    r"(dato|dati|rimborsato|rimborsati|pagato|pagati|liquidato|liquidati|riconosciuto"
    r"|restituito|ricevuto|preso|avuto)\b"
)
_QUESTION_START = frozenset({"quanto", "quanti", "quante", "quale", "quali", "che", "cosa", "e",
                             "ma", "mi", "la", "il", "lo", "come", "conviene", "meglio",
                             "sono", "serve", "servono", "in", "entro", "dopo", "posso"})


def cover_asked(norm: str, question_mark: bool) -> str | None:
    """What a question about the cover asks (one of COVER_ASKS), or None. `norm` is the folded
    message; a statement ("mi coprite la visita") counts only with a question mark or a
    question word first."""
    first = norm.split(" ", 1)[0] if norm else ""
    if not question_mark and first not in _QUESTION_START:
        return None
    for kind, pattern in _PATTERNS:
        if pattern.search(norm):
            if kind in ("estimate", "covered") and _PAST.search(norm):
                return None
            return kind
    return None
