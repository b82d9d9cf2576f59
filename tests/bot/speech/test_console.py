"""`medbot chat --jsonl` with a {"voice": path} event, on the real model: the note is heard,
read back, and the conversation goes on from what was confirmed."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.auxil.chat import JsonlChat
from tests.auxil.runtime import demo_home, settings_env
from tests.bot.speech.conftest import NOTES


async def test_a_voice_event_is_heard_in_the_console(model_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(await demo_home(), tmp_path / "home")
    env = {**settings_env(tmp_path / "home"), "MEDBOT_SPEECH_MODEL": str(model_dir)}
    chat = JsonlChat(env)
    try:
        await chat.say("rimborso")
        turn = await chat.send({"voice": str(NOTES / "rimborso.ogg")})
        # Whatever the words, a note is never taken as an answer without being read back.
        assert 'Ho capito: "' in turn.text or "Non sono sicuro" in turn.text, turn.text
        assert turn.step == "confirm_heard"
        assert (NOTES / "rimborso.ogg").exists()  # the customer's own file stays
        turn = await chat.tap("No, lo scrivo")
        assert "scrivimelo pure" in turn.text and turn.step == "year"
        turn = await chat.send({"voice": str(tmp_path / "missing.ogg")})
        assert "Non riesco a leggere il file" in turn.text
    finally:
        chat.close()
