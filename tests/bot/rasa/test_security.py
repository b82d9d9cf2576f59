"""The audit's holes in the action server, over HTTP: who may call, whom a call speaks for,
where attachments come from, and what a compressed body may cost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib

import httpx
import pytest

from bot.channels.rasa import CUSTOMER_KEY, sign_customer
from tests.auxil import files
from tests.auxil.runtime import MARIO, settings_env
from tests.bot.rasa.servers import TOKEN, FileServer, file_server
from tests.bot.rasa.tracker import RasaUser, only_reached, signed, user_message, webhook_body

# -- only Rasa, with the token, may call --------------------------------------------------


def _status_call(sender: str, metadata: dict[str, object] | None = None) -> bytes:
    latest = user_message("le mie richieste", "medbot_status", metadata=metadata)
    events = [{"event": "user", "text": "le mie richieste", "parse_data": latest}]
    return json.dumps(webhook_body(sender, "action_medbot_status", latest, events,
                                   {CUSTOMER_KEY: MARIO})).encode()


@pytest.mark.parametrize("headers, params", [
    ({}, {}),
    ({"Authorization": "Bearer sbagliato"}, {}),
    ({"Authorization": f"Basic {TOKEN}"}, {}),
    ({}, {"token": "sbagliato"}),
    ({}, {"token": TOKEN[:-1]}),
])
def test_calls_without_the_token_are_refused(action_server: httpx.Client,
                                             headers: dict[str, str],
                                             params: dict[str, str]) -> None:
    with httpx.Client(base_url=action_server.base_url, timeout=15.0) as anyone:
        answer = anyone.post("/webhook", content=_status_call("rasa-intruder"),
                             headers={"Content-Type": "application/json", **headers},
                             params=params)
        assert answer.status_code == 401
        assert "responses" not in answer.text
        assert anyone.get("/actions", headers=headers, params=params).status_code == 401
        assert anyone.get("/health").status_code == 200


def test_the_token_as_rasa_sends_it_header_or_query(action_server: httpx.Client) -> None:
    with httpx.Client(base_url=action_server.base_url, timeout=15.0) as rasa:
        by_query = rasa.post("/webhook", content=_status_call("rasa-query"),
                             params={"token": TOKEN})
        assert by_query.status_code == 200 and by_query.json()["responses"]
    by_header = action_server.post("/webhook", content=_status_call("rasa-header"))
    assert by_header.status_code == 200 and by_header.json()["responses"]


def test_server_does_not_start_without_a_token(tmp_path: object) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDBOT_RASA_")}
    done = subprocess.run([sys.executable, "-m", "bot", "rasa-actions", "--port", "1"],
                          env={**env, **settings_env(tmp_path)},  # type: ignore[arg-type]
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "MEDBOT_RASA_ACTIONS_TOKEN" in done.stderr


# -- the customer only from the slot or signed metadata ------------------------------------


def test_plain_metadata_naming_a_customer_is_not_believed(action_server: httpx.Client) -> None:
    """The audit: one call with a claimed codice fiscale listed Mario's requests."""
    user = RasaUser(action_server, "rasa-claims-mario")
    user.call("le mie richieste", "action_medbot_status", intent="medbot_status",
              metadata={CUSTOMER_KEY: MARIO})
    assert "Area Clienti" in user.text
    assert not [b for m in user.last["responses"] for b in m["buttons"]]
    assert "2600" not in user.text
    user.call("vorrei un rimborso", metadata={CUSTOMER_KEY: MARIO})
    assert "Area Clienti" in user.text and user.state == (None, None)


@pytest.mark.parametrize("forge", ["other_sender", "other_code", "expired", "too_long",
                                   "wrong_secret", "not_hex", "string_expiry"])
def test_forged_signed_metadata_is_not_believed(action_server: httpx.Client,
                                                forge: str) -> None:
    sender = f"rasa-forged-{forge}"
    claim = signed(sender, MARIO)[CUSTOMER_KEY]
    if forge == "other_sender":
        claim = signed("someone-else", MARIO)[CUSTOMER_KEY]
    elif forge == "other_code":
        claim = {**claim, "fiscal_code": "BNCLCU05A01H501X"}
    elif forge == "expired":
        claim = signed(sender, MARIO, valid_for=-5)[CUSTOMER_KEY]
    elif forge == "too_long":
        claim = signed(sender, MARIO, valid_for=40 * 86400)[CUSTOMER_KEY]
    elif forge == "wrong_secret":
        claim = signed(sender, MARIO, secret="indovinato")[CUSTOMER_KEY]
    elif forge == "not_hex":
        claim = {**claim, "signature": "x" * 64}
    elif forge == "string_expiry":
        claim = {**claim, "expires": str(claim["expires"])}
    user = RasaUser(action_server, sender)
    user.call("le mie richieste", "action_medbot_status", intent="medbot_status",
              metadata={CUSTOMER_KEY: claim})
    assert "Area Clienti" in user.text and "2600" not in user.text


def test_a_link_does_not_outlive_the_call(action_server: httpx.Client) -> None:
    """A sender id is chosen by the channel's client: once vouched for is not forever."""
    user = RasaUser(action_server, "rasa-once")
    user.call("le mie richieste", "action_medbot_status", intent="medbot_status",
              metadata=signed("rasa-once", MARIO))
    assert "Area Clienti" not in user.text
    user.call("le mie richieste", "action_medbot_status", intent="medbot_status")
    assert "Area Clienti" in user.text and "2600" not in user.text


def test_signature_is_the_documented_hmac() -> None:
    import hashlib
    import hmac
    claim = sign_customer("s3gr3t0", "utente-1", MARIO, 1767225600)
    expected = hmac.new(b"s3gr3t0", f"utente-1\n{MARIO}\n1767225600".encode(),
                        hashlib.sha256).hexdigest()
    assert claim == {"fiscal_code": MARIO, "expires": 1767225600, "signature": expected}


# -- attachments only from configured hosts, no redirects, capped --------------------------


def _mario_in_a_receipt_step(client: httpx.Client, sender: str) -> RasaUser:
    user = RasaUser(client, sender, slots={CUSTOMER_KEY: MARIO})
    user.say("vorrei un rimborso")
    return user


def test_attachment_from_a_host_not_configured_is_never_fetched(
        action_server: httpx.Client) -> None:
    """The audit's SSRF: any URL was fetched, open and closed ports answered differently."""
    with file_server() as elsewhere:
        elsewhere.files["ricevuta.png"] = files.png("Ricevuta")
        user = _mario_in_a_receipt_step(action_server, "rasa-ssrf")
        before = user.state
        port = elsewhere.base.rsplit(":", 1)[1]
        answers = []
        for url in (f"{elsewhere.base}/ricevuta.png", f"http://localhost:{port}/ricevuta.png",
                    f"http://[::1]:{port}/ricevuta.png", "http://127.0.0.1:1/ricevuta.png",
                    "file:///etc/passwd", "gopher://127.0.0.1:25/x",
                    f"http://user:pw@{elsewhere.base.removeprefix('http://')}/ricevuta.png"):
            result = user.upload(url, "ricevuta.png")
            assert only_reached(result) and user.state == before
            answers.append(user.text)
        assert elsewhere.hits == []
        # Open and closed ports get the same answer: nothing to learn.
        assert len(set(answers)) == 1


def test_redirects_are_not_followed(action_server: httpx.Client, files_host: FileServer) -> None:
    files_host.files["vera.png"] = files.png("Ricevuta vera")
    user = _mario_in_a_receipt_step(action_server, "rasa-redirect")
    before = user.state
    files_host.hits.clear()
    result = user.upload(f"{files_host.base}/redirect/vera.png", "vera.png")
    assert only_reached(result) and user.state == before
    assert files_host.hits == ["/redirect/vera.png"]


def test_attachment_without_length_is_cut_off_while_streaming(
        action_server: httpx.Client, files_host: FileServer) -> None:
    files_host.files["lungo.pdf"] = b"%PDF-1.4\n" + b"0" * (12 * 1024 * 1024)
    user = _mario_in_a_receipt_step(action_server, "rasa-chunked")
    before = user.state
    result = user.upload(f"{files_host.base}/chunked/lungo.pdf", "lungo.pdf")
    assert "10 MB" in user.text and only_reached(result) and user.state == before


def test_configured_host_is_fetched(action_server: httpx.Client, files_host: FileServer) -> None:
    files_host.files["chunked-ok.png"] = files.png("Ricevuta a pezzi")
    user = _mario_in_a_receipt_step(action_server, "rasa-fetch-ok")
    user.say("quest'anno")
    user.say("io")
    user.say("visita cardiologica")
    user.say("la prima")
    user.tap("Salute Più")
    user.tap("Sì, continua")
    assert user.state == ("rimborso", "exp_file")
    user.upload(f"{files_host.base}/chunked/chunked-ok.png", "chunked-ok.png")
    assert user.state[1] != "exp_file"


# -- compressed bodies capped while inflating -----------------------------------------------


def _bomb(wbits: int, inflated_mb: int) -> bytes:
    """A JSON-looking body that inflates to `inflated_mb` MB, compressed piece by piece."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    out = [packer.compress(b'{"next_action": "action_medbot", "x": "')]
    block = b" " * (1024 * 1024)
    out += [packer.compress(block) for _ in range(inflated_mb)]
    out.append(packer.compress(b'"}') + packer.flush())
    return b"".join(out)


@pytest.mark.parametrize("wbits, encoding", [(zlib.MAX_WBITS, "deflate"),
                                             (zlib.MAX_WBITS | 16, "gzip")])
def test_compression_bomb_is_refused_while_inflating(action_server: httpx.Client,
                                                     wbits: int, encoding: str) -> None:
    """The audit: a 298 KB deflate body cost +600 MB and 12-21 s."""
    bomb = _bomb(wbits, 300)
    assert len(bomb) < 400 * 1024
    answer = action_server.post("/webhook", content=bomb,
                                headers={"Content-Encoding": encoding,
                                         "Content-Type": "application/json"})
    assert answer.status_code == 413
    assert action_server.get("/health").status_code == 200


def test_corrupt_and_unknown_encodings_are_refused(action_server: httpx.Client) -> None:
    for content, encoding in ((b"not deflate", "deflate"), (b"{}", "br"),
                              (zlib.compress(b"[1, 2]"), "deflate"), (b"\xff\xfe", "identity")):
        answer = action_server.post("/webhook", content=content,
                                    headers={"Content-Encoding": encoding})
        assert answer.status_code == 400, encoding


def test_oversized_plain_body_is_refused(action_server: httpx.Client) -> None:
    answer = action_server.post("/webhook", content=b" " * (33 * 1024 * 1024),
                                headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
