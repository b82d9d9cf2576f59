"""The intent rules: weighted patterns over the folded message, one table per intent."""

from __future__ import annotations

import re

from nlu.lazy_patterns import lazy_compile

__all__ = ["RULES", "VOCABULARY"]

# Patterns read the folded, shorthand-expanded text ("nn ho ricevuto" -> "non ho ricevuto"),
# words separated by single spaces. A message scores the sum of the weights that match.
_R = tuple[tuple[float, str], ...]

_REQUEST = r"(richiest[ae]|pratic[ah]e?|domand[ae]|rimbors[oi]|sinistr[oi])"
_DOC = (
    r"(document[oi]|documentazione|allegat[oi]|file|prescrizion[ei]|impegnativ[ae]|referto|"
    r"referti|cartella|foto|certificat[oi]|ricetta|scansion[ei]|document|documents|attachment|pdf|"
    r"prescription|report|records|photo)"
)

_STATUS: _R = (
    (3, r"\bstato (della|delle|del|dei|di|mi[aeo]|pratica|richiesta)\b"),
    (3, r"\ba (che|quale) punto\b"),
    (3, r"\bcom e (messa|mess[ao]|andat[ao]|finit[ao])\b|\bcome sta andando\b"),
    (2.5, r"\bnovita\b|\baggiornament[oi]\b|\bsituazione\b|\besito\b"),
    (3, r"\b(storico|archivio)\b"),
    (3, rf"\b(elenco|lista|riepilogo) (delle |dei |di )?(mie |miei )?{_REQUEST}"),
    (3, rf"\b(le |i )?(mie|miei) {_REQUEST}"),
    (3, (rf"\b(mostra|mostrami|fammi vedere|fatemi vedere|fate vedere|vedere|visualizza|"
        rf"controlla|controllare|verifica|verificare|show|check)\b.*\b{_REQUEST}")),
    # "ricevuta" is also the receipt: the participle only after an auxiliary.
    (2.5, r"\b(ricevut[oi]|arrivat[oaie]|arriva|arrivano|arriveranno|arrivera)\b"),
    (2.5, r"\b(avete|hanno|ho|abbiamo|e stata|sono state|l avete|le avete|gia) ricevut[ae]\b"),
    (3, r"\bche fine (ha|hanno) fatto\b|\bnessuna notizia\b|\bnotizie\b"),
    (2.5, r"\bin attesa (da|del|della|dei|di ricevere)\b|\bsto aspettando\b|\baspetto (ancora|da)\b"),
    (2.5, r"\bavete perso\b|\bsiete riusciti\b|\bavete (visto|guardato|controllato)\b"),
    (2.5, r"\bnon (ho|abbiamo|mi e|mi sono) (ancora )?(ricevut|arrivat|vist)"),
    (2, r"\bancora (niente|nessun|non)\b|\bsono passat[ie]\b"),
    (3, r"\bdov e (finit[oa] )?(il |la |i |le )?(mi[oa]|rimborso|pratica|richiesta|soldi)"),
    (3, r"\bquando (mi )?(pagate|pagherete|rimborsate|rimborserete|arriva|arrivano|pagano)"),
    (3, r"\bquanto mi (avete|hanno) (rimborsato|pagato|dato|liquidato|riconosciuto)"),
    (2.5, (r"\b(e|e stat[oa]|sono stat[ie]|avete|hanno|mi avete|mi hanno|l avete|gia)"
          r" (gia )?(pagat|liquidat|rimborsat|respint|rifiutat|autorizzat|approvat|annullat|"
          r"sospes|bocciat|accettat|ricevut|vist)")),
    (2, (r"\b(pagat[aeio]|liquidat[aeio]|respint[aeio]|rifiutat[aeio]|sospes[aeio]|"
        r"annullat[aeio]|autorizzat[aeio]|bocciat[aeio]|apert[aeio]|approvat[aeio]|"
        r"rigettat[aeio]|in corso|in lavorazione)\b")),
    (1.5, r"\b(richieste|pratiche|rimborsi|domande|requests|claims|refunds)\b"),
    (1, r"\b(pratica|richiesta|sinistro)\b"),
    (1, r"\b(soldi|bonifico|pagamento|accredito)\b"),
    (1, r"\bperche\b.*\b(respint|rifiutat|sospes|bloccat|negat)"),
    (3, (r"\b(status|where is my|where s my|my (claims|requests|refunds)|has my|have you paid|"
        r"did you pay|been paid|track)\b")),
    (1.5, r"\binformazioni (su|sulla|sulle|sul)\b|\bsapere (se|lo stato|come|quando)\b"),
    # English: a request's progress, payment, what happened to it.
    (3, r"\bwhen (will|do|does|can|should) (i|we|you) (get|receive|be paid|pay|see)\b"),
    (3, r"\bwhat (happened|s happening|is happening) (to|with)\b|\bany (news|update)\b"),
    (2.5, (r"\b(haven t|have not|hasn t|has not|didn t|did not|not yet) (\w+ )?(received|got|"
          r"gotten|heard|arrived)\b")),
    (3, r"\b(did|have|has) (you|it|they) (receive|received|get|got|arrive|arrived)\b"),
    (3, r"\bwhat (s|is|are) missing\b|\bwhat (do|else do) you need\b"),
    (3, r"\bhow much (was i|were we|have i been|did i get|did you) (\w+ )?(refunded|paid|reimbursed|give)"),
    (2, r"\b(heard|received|got) nothing\b|\bno (news|answer|reply)\b"),
    (3, r"\bauthori[sz]ation code\b|\bwhat (is|s) the code\b"),
    (3, r"\bwhere and when\b|\bwhat time is my\b|\bwhen is my (appointment|check up|visit)\b"),
    (2.5, r"\b(know|tell me|check|see) (if|whether)\b"),
    (2, (r"\b(was|were|been|is|are) (already )?(paid|approved|rejected|authori[sz]ed|suspended|"
        r"on hold|refunded|accepted|declined)\b")),
    (1, r"\?"),
    (2, (r"\b(cosa|che cosa|quali|quante) (ho|abbiamo|avete) (gia )?(chiesto|richiesto|inviato|"
        r"mandato|presentato|ricevuto)\b")),
)

_REIMBURSEMENT: _R = (
    (2, r"\brimborso\b"),
    (1, r"^(rimborso|refund)\b"),  # a message opening with the word asks for one
    (1, r"\brimborsi\b"),
    (3, (r"\b(vorrei|voglio|chiedere|richiedere|chiedo|fare|nuovo|nuova|aprire|apri|apro|"
        r"inserire|presentare|ottenere|avere|posso avere|mi serve|serve|fammi|faccio|fare una)"
        r" (il |un |una |la |richiesta di |domanda di |pratica di )*rimbors")),
    (3, r"\b(farmi|farmel[aoie]|farsi|fare) rimborsare\b|\brimborsar[em]i\b|\brimborsate\b"),
    (3, r"\bessere rimborsat|\brichiesta (di )?rimborso\b|\brimborso spese\b"),
    (1, r"\b(fattura|ricevuta|scontrino|ricevute|fatture)\b"),
    # The customer paid ("ho pagato", "mia moglie ha pagato"), not the insurer ("mi avete pagato").
    (2.5, r"(?<!\bmi )(?<!\bci )\b(ho|ha|abbiamo|avevo|aveva|avevamo) ((gia|appena|io|anche) )*"
          r"(pagat[oaie]|speso|anticipat[oaie])\b"),
    (2.5, r"\bdi tasca (mia|nostra|sua|propria)\b|\bprivatamente\b|\ba (mie|nostre) spese\b"),
    (3.5, r"\b(avere|riavere|riavete|ridate|rivoglio|voglio|i soldi|li|le|riaverli|riaverle|"
          r"restituite|tornare) (\w+ ){0,2}indietro\b"),
    (3, r"\b(refund|reimburs[a-z]*)\b"),
    (2, r"\bho speso\b|\b(ridate|restituite|ridarete|restituirete|rendete|ridanno)\b"),
    (1.5, r"\b(ho|tengo|avrei|abbiamo) (le |la |delle |una |un |i |gli |degli )?"
          r"(fattur|ricevut|scontrin)"),
    (1, r"\b(farmacia|scontrini|scontrino)\b"),
    (2, r"\b(new claim|make a claim|file a claim|submit a claim)\b"),
    (4, r"\b(get|getting|have|want) (my |the |it |them |that )?(money )?back\b"),
    (2.5, r"\bi (have |ve )?(already )?(paid|spent)\b|\bout of (my|our) (own )?pocket\b"),
    (2.5, r"^claim (for|on)\b"),
    (1.5, r"\b(receipt|receipts|invoice|invoices|bill|bills)\b"),
    (1, r"\bpharmacy\b"),
    (0.5, r"\bticket\b"),
)

_DIRECT: _R = (
    (2, r"\bconvenzion[ae]t?[aeio]?\b|\bconvenzione\b|\bin convenzione\b"),
    (3, r"\b(in |forma |prestazion[ei] |assistenza )diretta\b|\bdiretta\b|\bdiretto\b"),
    (2, r"\bprenot[a-z]*\b"),
    (2.5, r"\bautorizzazione\b"),
    (3, r"\bpresa in carico\b"),
    (3, r"\bsenza (anticipare|pagare|spendere)\b|\bpaga(te|no)? (voi|l assicurazione)\b"),
    (3, r"\bnon (pagare|anticipare|spendere) (niente|nulla)\b|\bgratis\b|\bgratuitamente\b"
        r"|\ba carico (vostro|dell assicurazione|della polizza)\b"),
    (2, r"\bpagat[ao] dall assicurazione\b"),
    (2, r"\bcheck up\b"),
    (1.5, r"\b(intervento|operarmi|operare|operazione|ricovero|ricoverarmi)\b"),
    (1, r"\bcome (prenoto|faccio a prenotare|si prenota)\b"),
    (1.5, r"\b(vorrei|voglio|devo|dovrei) (fare|prenotare)\b"),
    (3, r"\b(book|booking|affiliated|in network|direct billing)\b"),
    (3, (r"\bpaid (directly |for )?by (the )?(insurance|insurer|you|company)\b"
        r"|\bpay (\w+ ){0,2}directly\b|\bdirect service\b")),
    (1.5, r"\b(surgery|operation|hospital stay)\b"),
)

_FACILITY: _R = (
    (1.5, (r"\b(strutture|struttura|cliniche|clinica|centri|centro|ospedali|ospedale|"
          r"poliambulatori[oi]?|case di cura|casa di cura|laboratori[oi]?|studi medici|"
          r"clinics|clinic|hospitals|hospital|facilities|centers|centres)\b")),
    (2, r"\bdove (posso|trovo|si trova|ci sono|sono|si puo|vado|andare|fare)\b"),
    (1.5, (r"\b(elenco|lista|quali|cerco|cercare|trovare|vicino|vicine|vicini|zona|nei pressi|"
          r"near|nearby|where|find|list|in zona|piu vicin[oaie])\b")),
    (1, r"\b(convenzionat[aeio]|affiliated)\b"),
)

_ADD_DOCUMENTS: _R = (
    (3, (rf"\b(aggiung|allega|allego|carica|carico|caricare|mand|invi|integr|inoltr|upload|"
        rf"attach|send|spedi|trasmett|complet)[a-z]* (\w+ ){{0,6}}{_DOC}")),
    (2, rf"\b(pratica|richiesta) sospesa\b.*\b{_DOC}"),
    (2, r"\b(mancante|mancanti|mancava|mancavano|mancano|manca|missing)\b"),
    (2, r"\b(mi avete chiesto|che mi avete chiesto|richiesto|richiesti|richiesta da voi)\b"),
    (3, r"\bintegrazione\b|\bintegrare\b"),
    # What was missing or asked for, now sent ("la cartella che mancava").
    (2.5, (r"\b(che|quell[oa] che) (mi |ci )?(mancava|mancavano|manca|mancano|serviva|servivano|"
          r"mi avete chiesto|avevate chiesto|avete chiesto|mi avevate chiesto|avete richiesto|"
          r"avevate richiesto|mi avevate richiesto)\b")),
    (3, rf"\b(vi |ti )?(giro|rigiro|passo|metto|ecco) (\w+ ){{0,3}}{_DOC}"),
    (1.5, rf"\becco (il |la |i |le )?{_DOC}"),
    (2, rf"\b{_DOC}\b.*\b(pratica|richiesta) (sospesa|\d{{8}})"),
    (1, r"\b(aggiungere|allegare|caricare|aggiungi|allega|carica)\b"),
    (2.5, rf"\bhere (is|s|are) (\w+ ){{0,3}}{_DOC}"),
    (2.5, r"\byou (asked|asked me|requested|needed) for\b|\byou asked for\b"),
    (1, rf"\b{_DOC}\b"),
)

_HELP: _R = (
    (3, r"\baiut[oaie]\b|\baiutami\b|\baiutarmi\b|\bhelp\b"),
    (3, r"\bcome funziona\b|\bcosa (puoi|sai|posso|si puo) fare\b|\bche (puoi|sai) fare\b"),
    (2, r"\bnon (ho |lo )?capit[oa]\b|\bnon capisco\b|\bistruzioni\b|\bchi sei\b"),
    (1.5, r"\b(che|cosa) (devo|dovrei) fare\b|\bcome si usa\b|\bmenu\b"),
    (3, r"\bnon so (come|cosa|che) (fare|si fa|scrivere)\b"
        r"|\b(che )?cosa (posso|si puo) (chiederti|chiedere|domandarti|domandare)\b"),
    (3, r"\b(how does (it|this) work|what can you do|how do i)\b"),
    (3, r"\bi (don t|do not|can t|cannot) understand\b|\bi m (confused|lost)\b"),
    (2, r"\bwhat (should|do|must) i do\b"),
)

_CANCEL: _R = (
    (3, r"\bannull(a|are|o|iamo)\b|\bcancell(a|are|iamo)\b"),
    (3, r"\blascia(mo)? (stare|perdere)\b|\bnon (voglio|vorrei) piu\b|\bnon fa niente\b"),
    (2, r"\bbasta\b|\bstop\b|\besci\b|\buscire\b|^fine$|\bchiudi\b"),
    (3, r"^(ferma|fermati|fermiamoci|interrompi|interrompere)\b"),
    (3, r"\b(cancel|forget it|never ?mind|quit|exit|abort)\b"),
)

_BACK: _R = (
    (3, r"\bindietro\b"),
    (2, r"\b(torna|tornare|torniamo|ritorna)\b"),
    (1, r"\b(precedente|di prima)\b"),
    (2, r"\b(passo|domanda|step|risposta|schermata|punto) (precedente|prima)\b"),
    (2.5, r"\bho sbagliato\b|\bcorregg[a-z]*\b|\bmodifica(re)? (la )?risposta\b"),
    (3, r"^(back|previous|undo)\b|\bgo back\b|\bprevious (question|step|answer)\b"),
)

_HUMAN: _R = (
    (3, r"\boperator[ei]\b"),
    (2.5, r"\b(persona|persone) (vera|reale|fisica|umana)\b|\bumano\b|\bin carne e ossa\b"),
    (2, r"\bparlare con\b|\bpassami\b|\bpassatemi\b"),
    (1, r"\b(persona|qualcuno)\b"),
    (2.5, (r"\b(chiamatemi|richiamatemi|telefonatemi|chiamami|richiamami|mi chiamate|"
          r"mi richiamate|mi telefonate)\b|\b(parlare|sentirci|sentirvi) (al|per) telefono\b")),
    (1.5, r"\bassistenza( clienti)?\b"),
    (2.5, r"\bservizio clienti\b|\bcustomer (service|care)\b|\bresponsabile\b"),
    (3, r"\b(human|agent|real person|someone|speak to|talk to|call me)\b"),
)

_COMPLAINT: _R = (
    (4.5, r"\breclam[a-z]*\b"),
    (3, r"\blament[a-z]*\b|\bivass\b|\besposto\b|\bcontest[a-z]+ (la|il) (decision|esito)"),
    (2, r"\bprotest[a-z]*\b"),
    (1, r"\b(vergogna|schifo|scandal[oi]|inaccettabile|pessim[oa]|vergognoso|ridicolo)\b"),
    (4, r"\b(complaint|complain)\b"),
    (3, r"^reclamo\b"),
    (2, r"\bsenza (alcun )?motivo\b|\bingiust[a-z]*\b|\bnon e giusto\b|\bassurdo\b"),
)

# How to reach the insurer: a question answered with the support contact, not a handoff.
_WAYS = r"(numer[oi]|telefon[oi]|recapit[oi]|email|mail|indirizz[oi]|orari[oi]?|contatt[oi])"
_CONTACT: _R = (
    (3.5, (r"\b(qual e|quali sono|qual era|mi (date|dai|dite|dice|dici|puoi dare|potete dare|"
          r"potreste dare|lasci|lasciate|sapete dire|sai dire)|sapete dirmi|sai dirmi|dammi|datemi|avete|hai|(?<!non )c e|(?<!non )ci e|esiste|ci sono|a che|a quale|che|"
          rf"quale) (\w+ ){{0,3}}{_WAYS}\b")),
    (3.5, (r"\bcome (vi|posso|faccio a|si fa a|si puo|posso fare a|potrei) (\w+ ){0,2}"
          r"(contatt|chiam|telefon|scriv|raggiung|sentir)")),
    (2.5, (r"\bnumero verde\b|\bcall center\b|\bcentralino\b|\bnumero di telefono\b|"
          r"\bnumero (dell|del|della) (assistenza|servizio)")),
    (2, r"\b(contattarvi|contattare|chiamarvi|telefonarvi|scrivervi|raggiungervi|sentirvi)\b"),
    (1.5, r"\borari\b|\bcontatti\b"),
    (3.5, (r"\b(what is|what s|what are|give me|do you have|is there) (\w+ ){0,3}(phone|number|"
          r"email|e mail|address|contact|contacts|opening hours)\b")),
    (3.5, (r"\bhow (can|do|could|should) (i|we) (contact|reach|call|email|write to|phone) "
          r"(you|customer service|customer care|support|the insurer)\b")),
)

_REMINDERS_OFF: _R = (
    (1, (r"\b(promemoria|notifich[ea]|notifica|avvisi|avviso|reminders?|sms|messaggi|"
        r"notifications?)\b")),
    (4, (r"\b(non|basta|stop|niente piu|smett[a-z]*|disattiv[a-z]*|togli[a-z]*|no piu|"
        r"non mandatemi|non inviatemi|disiscriv[a-z]*|unsubscribe|turn off|no more|"
        r"blocca)\b.*\b(promemoria|notifich[ea]|notifica|avvisi|avviso|reminders?|sms|"
        r"messaggi|notifications?)\b")),
    (4, r"\b(promemoria|notifiche|avvisi|reminders?|notifications?) (off|no|basta|stop)\b"),
)

_GREETING: _R = (
    (2, (r"^(ciao|buongiorno|buonasera|buon pomeriggio|salve|hey|ehi|hello|hi|good morning|"
        r"buondi|ben trovat|hola|good (afternoon|evening|day))\b")),
)

_THANKS: _R = (
    (2, r"\b(grazie|thanks|thank you|gentilissim[oaie]|ringrazio|grazi)\b"),
    (2, r"\b(grazie|thanks) (dell|per l|per il tuo|for the|for your) (aiuto|help)\b"),
    (1, r"^(ok|okay|perfetto|ottimo|va bene|benissimo|bene|d accordo|capito)\b"),
)

RULES: dict[str, tuple[tuple[float, re.Pattern[str]], ...]] = {
    intent: tuple((weight, lazy_compile(pattern)) for weight, pattern in table)
    for intent, table in {
        "status": _STATUS,
        "reimbursement": _REIMBURSEMENT,
        "direct_service": _DIRECT,
        "find_facility": _FACILITY,
        "add_documents": _ADD_DOCUMENTS,
        "help": _HELP,
        "cancel": _CANCEL,
        "back": _BACK,
        "human": _HUMAN,
        "complaint": _COMPLAINT,
        "contact": _CONTACT,
        "reminders_off": _REMINDERS_OFF,
        "greeting": _GREETING,
        "thanks": _THANKS,
    }.items()
}

# Words the rules give a meaning to: never read as a person's name or a town.
VOCABULARY = frozenset(
    """
    stato pratica pratiche richiesta richieste rimborso rimborsi storico archivio elenco lista
    mostra vedere novita aggiornamenti situazione esito convenzionata convenzionate diretta
    prenotare strutture struttura cliniche clinica centri centro ospedali ospedale documento
    documenti allegato allegati prescrizione aiuto help annulla indietro operatore reclamo
    promemoria notifiche ciao buongiorno grazie salve status refund claim cancel back human
    """.split()
)
