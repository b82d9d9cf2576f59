"""Which attachment addresses the action server fetches: configured hosts, public addresses or
configured networks, nothing else (no request is made to anything refused)."""

from __future__ import annotations

import ipaddress
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from bot.channels.rasa import _fetch as fetch_module
from bot.channels.rasa._fetch import AttachmentError, AttachmentPolicy, download
from tests.auxil import files
from tests.bot.rasa.servers import file_server

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")


@pytest.mark.parametrize("address, allowed", [
    ("93.184.216.34", True), ("2a00:1450:4002:402::200e", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.1.1", False), ("172.16.0.5", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("::1", False),
    ("::ffff:127.0.0.1", False), ("fd00::1", False), ("fe80::1", False), ("224.0.0.1", False),
])
def test_only_public_addresses_without_configured_networks(address: str, allowed: bool) -> None:
    policy = AttachmentPolicy(["files.example.com"])
    assert policy.allows_address(ipaddress.ip_address(address)) is allowed


def test_configured_networks_allow_their_addresses_only() -> None:
    policy = AttachmentPolicy([], [LOOPBACK])
    assert policy.allows_address(ipaddress.ip_address("127.0.0.1"))
    assert policy.allows_address(ipaddress.ip_address("::ffff:127.0.0.2"))
    assert not policy.allows_address(ipaddress.ip_address("10.0.0.1"))


def test_hosts_match_with_their_port_or_the_default_one() -> None:
    policy = AttachmentPolicy(["files.example.com", "cdn.example.com:8443", "[::1]:9000"])
    assert policy.allows_host("files.example.com", 443, 443)
    assert policy.allows_host("files.example.com", 80, 80)
    assert not policy.allows_host("files.example.com", 8080, 80)
    assert policy.allows_host("cdn.example.com", 8443, 443)
    assert not policy.allows_host("cdn.example.com", 443, 443)
    assert policy.allows_host("::1", 9000, 80)
    assert not policy.allows_host("evil.example.com", 443, 443)
    assert not policy.allows_host("files.example.com.evil.net", 443, 443)


async def _fetch(url: str, policy: AttachmentPolicy) -> bytes:
    async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as client:
        return (await download(client, url, "ricevuta.png", policy)).data


async def test_configured_loopback_host_needs_its_network_too() -> None:
    with file_server() as served:
        served.files["r.png"] = files.png("Ricevuta")
        hostport = served.base.removeprefix("http://")
        port = hostport.rsplit(":", 1)[1]
        with pytest.raises(AttachmentError):
            await _fetch(f"{served.base}/r.png", AttachmentPolicy([hostport]))
        # A name that resolves to loopback is no better.
        with pytest.raises(AttachmentError):
            await _fetch(f"http://localhost:{port}/r.png", AttachmentPolicy([f"localhost:{port}"]))
        assert served.hits == []
        data = await _fetch(f"{served.base}/r.png", AttachmentPolicy([hostport], [LOOPBACK]))
        assert data == served.files["r.png"] and served.hits == ["/r.png"]


@pytest.fixture
def tls_files(tmp_path: Path) -> Iterator[tuple[int, ssl.SSLContext, list[str]]]:
    """An HTTPS file server on loopback with a certificate for `files.test` only: its port,
    a client context trusting that certificate, and the Host headers it received."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=files.test",
                    "-addext", "subjectAltName=DNS:files.test"], check=True,
                   capture_output=True)
    hosts: list[str] = []
    body = files.png("Ricevuta TLS")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server protocol)
            hosts.append(self.headers.get("Host", ""))
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], ssl.create_default_context(cafile=str(cert)), hosts
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


async def test_https_goes_to_the_checked_address_verified_for_the_name(
        tls_files: tuple[int, ssl.SSLContext, list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The name is resolved once and checked; the connection goes to that address while TLS
    verifies the certificate for the name (the certificate has no IP address in it)."""
    port, trusted, hosts = tls_files

    async def loopback(host: str, port: int) -> list[ipaddress.IPv4Address]:
        return [ipaddress.IPv4Address("127.0.0.1")]

    monkeypatch.setattr(fetch_module, "resolve", loopback)
    policy = AttachmentPolicy([f"files.test:{port}", f"other.test:{port}"], [LOOPBACK])
    async with httpx.AsyncClient(verify=trusted, trust_env=False) as client:
        got = await download(client, f"https://files.test:{port}/r.png", "", policy)
        assert got.data.startswith(b"\x89PNG") and got.filename == "r.png"
        assert hosts == [f"files.test:{port}"]
        # Another name at the same address: the certificate is not its, nothing is fetched.
        with pytest.raises(AttachmentError):
            await download(client, f"https://other.test:{port}/r.png", "", policy)
    assert hosts == [f"files.test:{port}"]
