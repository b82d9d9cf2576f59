"""Processes and servers around the action server: `medbot rasa-actions`, and a file server
that records what it was asked (plain, chunked and redirecting answers)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

START_TIMEOUT = 30.0
TOKEN = "token-rasa-di-prova-0123456789"
LINK_SECRET = "segreto-condiviso-con-il-canale"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class FileServer:
    """Serves `files` by name; `/redirect/NAME` answers 302 to NAME, `/chunked/NAME` sends it
    without Content-Length. `hits` lists every path asked."""

    base: str
    files: dict[str, bytes] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)


@contextmanager
def file_server() -> Iterator[FileServer]:
    served = FileServer("")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (the http.server protocol)
            served.hits.append(self.path)
            path = self.path.lstrip("/")
            if path.startswith("redirect/"):
                self.send_response(302)
                self.send_header("Location", f"{served.base}/{path[len('redirect/'):]}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            chunked = path.startswith("chunked/")
            data = served.files.get(path[len("chunked/"):] if chunked else path)
            if data is None:
                self.send_error(404)
                return
            self.send_response(200)
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for start in range(0, len(data), 65536):
                    piece = data[start:start + 65536]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def actions_env(home: Path, env: dict[str, str], attachment_hosts: list[str]) -> dict[str, str]:
    """The environment of an action server with the test token and secret, attachments from
    `attachment_hosts` on loopback (configured as allowed)."""
    return {**os.environ, **env,
            "MEDBOT_RASA_ACTIONS_TOKEN": TOKEN,
            "MEDBOT_RASA_LINK_SECRET": LINK_SECRET,
            "MEDBOT_RASA_ATTACHMENT_HOSTS": ",".join(attachment_hosts),
            "MEDBOT_RASA_ATTACHMENT_NETWORKS": "127.0.0.0/8"}


@contextmanager
def rasa_actions(home: Path, env: dict[str, str], port: int | None = None,
                 log_name: str = "rasa-actions.log"
                 ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`medbot rasa-actions` on `port` (a free loopback one by default) until the block ends;
    its base URL."""
    port = port or free_port()
    log = (home / log_name).open("wb")
    process = subprocess.Popen([sys.executable, "-m", "bot", "rasa-actions", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, f"{base}/health", home / log_name, "the action server",
                      START_TIMEOUT, every=0.1)
        yield base, process
    finally:
        stop(process)
        log.close()


def wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path, what: str,
                  timeout: float, every: float) -> None:
    """Returns once `url` answers 200; raises with the end of `log` if the process exits or
    `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start:\n"
                               + log.read_text(errors="replace")[-4000:])
        time.sleep(every)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
