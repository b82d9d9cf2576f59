"""Questions about something that already exists: one fact of a request, or a complaint or a
hand-off already open ("a che punto è il mio reclamo?"), never a new request."""

from __future__ import annotations

import re

from nlu.lazy_patterns import lazy_compile

__all__ = ["ASKS", "asks_about", "fact_asked", "paid_by_customer", "without_customer_payment"]

# The one fact a question asks of a request, as the archive answers it.
ASKS = ("where_when", "code", "reason", "missing", "amount", "deductions")

_SERVICE_WORDS = (
    r"(visita|visite|check up|appuntamento|appuntamenti|esame|esami|risonanza|rm|tac|ecografia|"
    r"prestazione|intervento|ricovero|controllo|prenotazion[ei]|eco|radiografia|analisi|"
    r"mammografia|colonscopia|gastroscopia|fisioterapia|seduta)"
)
_SERVICE_EN = (
    r"(visit|appointment|check up|checkup|exam|test|scan|mri|ct|ultrasound|x ray|surgery|"
    r"operation|physiotherapy|session)"
)
_FACTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "perché mi avete dato meno?", "come avete calcolato il rimborso?": a payment explained.
    ("deductions", lazy_compile(
        r"\b(perche|come mai|per quale motivo)\b.*\b(meno|solo|soltanto|cosi poco|non tutto"
        r"|non (\w+ ){0,3}tutt[oaie]|di meno|inferiore|trattenut\w*|tolto|tolti|scalat\w*)\b"
        r"|\bcome (avete|hanno|e stato|e stata) (calcolat|conteggiat)"
        r"|\b(trattenut[ae]|detrazion[ei]|decurtazion[ei]|scalat[oi]) (\w+ ){0,3}"
        r"(rimborso|pagamento|liquidazione|pratica)\b"
    )),
    ("code", lazy_compile(
        r"\bcodic[ei] (di |dell |della |d |per l |dell )?(autorizza|autorizzativ)"
        r"|\bcodice (da (dare|presentare|portare|mostrare)|per la (clinica|struttura))"
        r"|\bnumero (di |dell )?autorizzazione\b|\bcodice autorizzativo\b"
        r"|\bauthori[sz]ation (code|number)\b|\bcode (for|to give) (the )?(clinic|facility)\b"
    )),
    ("where_when", lazy_compile(
        r"\b(mi ricordi|ricordami|mi ricordate|ricordatemi)\b.*\b(dove|quando|ora|orario|giorno)\b"
        r"|\ba che or[ae]\b|\bche ora\b|\bquale orario\b|\ba che orario\b"
        r"|\bdove (devo andare|e|sara|si trova|ho|vado|devo presentarmi|mi devo presentare)\b"
        rf".*\b{_SERVICE_WORDS}\b"
        r"|\bin (che|quale) (struttura|clinica|centro|ospedale|laboratorio) (ho|abbiamo|ha|e|sara)\b"
        rf"|\bquando (e|ho|sara|abbiamo|ha|c e) (il |la |l |lo )?(mio |mia |sua )?{_SERVICE_WORDS}\b"
        rf"|\b(giorno|data|orario|indirizzo) (del|della|dell) (mio |mia )?{_SERVICE_WORDS}\b"
        r"|\bwhere and when\b|\bwhat time is\b|\bat what time\b"
        rf"|\b(when|where) (is|s) (my |the |his |her )?{_SERVICE_EN}\b"
        rf"|\bwhere (do|should|must) i go\b"
    )),
    ("reason", lazy_compile(
        r"\b(perche|come mai|per quale motivo|per che motivo|motivo|motivazione)\b.*"
        r"\b(sospes|respint|rifiutat|ferm|bloccat|negat|bocciat|rigettat|non (mi |ci )?"
        r"(avete |hanno |e stat[oa] |sono stat[ie] )?(rimborsat|pagat|autorizzat|accettat|accolt))"
        r"|\bwhy (is|was|were|has|have) (\w+ ){0,4}(suspended|on hold|rejected|refused|declined|"
        r"denied|not (been )?(paid|authori[sz]ed|approved|accepted))"
    )),
    ("missing", lazy_compile(
        r"\b(cosa|che cosa|quali|che (document[oi]|cosa|altro|carte)|cos altro|quale documento)"
        r" (\w+ ){0,2}(manca|mancano|serve|servono|occorre|occorrono)\b"
        r"|\bmanca (ancora )?qualcosa\b"
        r"|\b(cosa|che cosa|quali document[oi]) (devo|dovrei|dobbiamo) (ancora )?"
        r"(mandare|inviare|caricare|allegare|integrare)\b"
        r"|\bwhat (s|is|are) (still )?missing\b|\bwhat (documents? )?(do|else do) you (still )?need\b"
    )),
    ("amount", lazy_compile(
        r"\bquanto (mi |ci )?(avete |hanno |ha |e stato |mi e stato |sono stati |mi sono stati )?"
        r"(dato|dati|rimborsato|rimborsati|pagato|pagati|liquidato|liquidati|riconosciuto|"
        r"restituito|restituiti|versato|bonificato)\b"
        r"|\bdi quanto (e|sara|era) (stato )?il (rimborso|bonifico|pagamento)\b"
        r"|\bquanto (ho|abbiamo|ha) (ricevuto|preso|avuto|incassato)\b"
        r"|\bquanti soldi (mi |ci )?(avete|hanno|ha|sono)\b"
        r"|\b(importo|cifra|somma) (del rimborso|liquidat|rimborsat|pagat|ricevut|riconosciut)"
        r"|\bhow much (was i|were we|have i been|did i get|did you|did they|have you) "
        r"(\w+ )?(refunded|paid|reimbursed|give|given|pay)\b"
    )),
)

# Something already asked for is followed up: "a che punto è", "mi avete risposto?".
_FOLLOW_UP = lazy_compile(
    r"\ba (che|quale) punto\b|\bnovita\b|\bnotizie\b|\baggiornament[oi]\b|\besito\b"
    r"|\b(mi |ci )?(ha|hanno|avete|avete gia|ha gia|hanno gia) (rispost|richiamat|contattat|"
    r"scritt|lett|gestit|vist|ricevut|pres[oa] in carico)"
    r"|\bnon (mi |ci )?(ha|hanno|avete|e) (ancora |piu |mai )?(rispost|richiamat|contattat|scritt|"
    r"arrivat)"
    r"|\bnessuno (mi |ci )?(ha )?(rispost|richiamat|contattat|scritt)"
    r"|\bquando (mi |ci )?(risponde|rispondete|rispondono|richiama|richiamate|richiamano|"
    r"contatta|contattate|contattano|arriva la risposta)"
    r"|\bche fine ha fatto\b|\bcom e (andat|finit|mess)|\bpres[oa] in carico\b"
    r"|\bstato del (mio )?(reclamo|ticket)\b|\bsto (ancora )?aspettando\b|\bancora niente\b"
    r"|\b(ho|avevo|abbiamo) (gia )?(fatto|presentato|mandato|inviato|aperto|chiesto|richiesto)"
    r" (un |il |l )?(reclam|operator|ticket)"
    r"|\b(reclam[oi]|richiesta|ticket) (che|ke) (ho|abbiamo|avevo) (gia )?(fatto|mandato|presentato|"
    r"inviato|scritto|aperto)\b"
    r"|\b(ha|hanno|ho|abbiamo) (gia |mai |ancora )?(avuto|ricevuto) (una |la |nessuna )?risposta\b"
    r"|\bnessuna risposta\b|\brisposta (al|sul|per il) (mio )?reclamo\b"
)
# A new complaint is being made, whatever else is said.
_NEW_COMPLAINT = lazy_compile(
    r"\b(voglio|vorrei|fare|faccio|presentare|presento|sporgere|aprire|apro|inoltrare|"
    r"depositare|scrivere|mandare) (un |il |un altro |formale )*reclamo\b|^reclamo\b"
)
_COMPLAINT = lazy_compile(r"\breclam[oi]\b|\blamentel[ae]\b|\bticket\b")
_HANDOFF = lazy_compile(r"\boperator[ei]\b|\b(una |la )?persona\b|\bservizio clienti\b|\bassistenza\b")

# The customer paid ("ho pagato", "mia moglie ha pagato"), not the insurer.
_PAID_BY_CUSTOMER = lazy_compile(
    r"(?<!\bmi )(?<!\bci )(?<!\bvi )\b(ho|ha|abbiamo|avevo|aveva|avevamo) "
    r"((gia|appena|io|anche) )*(pagat[oaie]|speso|anticipat[oaie])\b"
    r"|\bdi tasca (mia|nostra|sua)\b"
)
_INSURER_PAID = lazy_compile(
    r"\b(assicurazione|compagnia|polizza|fondo|cassa|voi) (mi |ci )?(ha|hanno|avete) (gia )?pagat"
    r"|\b(ha|hanno) (gia )?pagat[oaie] (\w+ ){0,3}(l |la )?(assicurazione|compagnia|polizza|voi)\b"
)


def fact_asked(norm: str) -> str | None:
    """The one fact of a request a question asks for, if it asks for one."""
    for fact, pattern in _FACTS:
        if pattern.search(norm):
            return fact
    return None


def asks_about(norm: str) -> str | None:
    """"complaint" or "handoff" when the message follows one up that is already open."""
    if not _FOLLOW_UP.search(norm) or _NEW_COMPLAINT.search(norm):
        return None
    if _COMPLAINT.search(norm):
        return "complaint"
    if _HANDOFF.search(norm):
        return "handoff"
    return None


def paid_by_customer(norm: str) -> bool:
    """Whether the customer (or a family member) says they paid, the start of a claim."""
    return bool(_PAID_BY_CUSTOMER.search(norm)) and not _INSURER_PAID.search(norm)


def without_customer_payment(norm: str) -> str:
    """The message without the words saying the customer paid."""
    return " ".join(_PAID_BY_CUSTOMER.sub(" ", norm).split())
