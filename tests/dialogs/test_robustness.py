"""Random customers: whatever they type, tap, send or share, every turn gets a real answer."""

from __future__ import annotations

import random

import pytest

from bot.runtime import Runtime
from tests.auxil import files
from tests.auxil.chat import EngineChat

# What people write, right and wrong, at any point of any flow.
TEXTS = [
    "rimborso", "prestazione diretta", "le mie richieste", "2026", "2025", "io", "luca", "marco",
    "anna", "mio figlio", "visita cardiologica", "eco addome", "rm ginocchio", "colecistectomia",
    "1", "2", "3", "la seconda", "sì", "no", "indietro", "annulla", "aiuto", "ricomincia",
    "operatore", "ieri", "12/11/2026", "3 dicembre alle 10", "80", "€ 1.234,56", "-5",
    "IT60X0542811101000000123456", "mario@example.it", "3331234567", "123456", "Milano", "20121",
    "dott. Rossi", "continua", "nessuna nota", "invia", "modifica", "pratica 26000112",
    "è stato pagato il rimborso di Luca?", "reclamo", "promemoria no", "🤒", "", "x" * 3000,
    "Lo scrivo dopo", "Nuovo cellulare", "3, 5 o 10 dicembre", "ciao", "grazie", "?",
]
FAILURE = "qualcosa non ha funzionato"


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_conversations_never_fail(chat: EngineChat, runtime: Runtime,
                                               seed: int) -> None:
    rnd = random.Random(seed)
    home = runtime.settings.home
    uploads = [files.write(home, f"f{i}.jpg", files.jpeg(f"documento {i}")) for i in range(4)]
    uploads += [files.write(home, "rotto.pdf", b"%PDF-1.4 rotto"),
                files.write(home, "ok.pdf", files.pdf())]
    turn = await chat.say("ciao")
    for _ in range(150):
        roll = rnd.random()
        if roll < 0.45 and turn.choices:
            turn = await chat.choose(rnd.choice(turn.choices)["id"])
        elif roll < 0.52:
            turn = await chat.upload(rnd.choice(uploads))
        elif roll < 0.55:
            turn = await chat.send({"location": [45.4 + rnd.random() / 10, 9.19]})
        else:
            turn = await chat.say(rnd.choice(TEXTS))
        assert turn.replies and all(r["text"] for r in turn.replies)
        assert FAILURE not in turn.text, chat.history[-2].state
