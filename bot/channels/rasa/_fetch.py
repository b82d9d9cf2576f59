"""Attachments by URL, safely: configured hosts only, public addresses (or configured networks),
the resolved address pinned for the connection, no redirects, the size capped while streaming."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from bot.channels.rasa._config import Network
from bot.channels.rasa._texts import t
from dialogs.events import IncomingFile

__all__ = ["DOWNLOAD_LIMIT", "AttachmentError", "AttachmentPolicy", "download"]

log = logging.getLogger(__name__)
# Bigger attachments are refused while downloading (the dialogs refuse anything over 10 MB).
DOWNLOAD_LIMIT = 10 * 1024 * 1024
# The whole download, not each read: a server dripping bytes cannot hold a turn for long.
DOWNLOAD_TIMEOUT = 30.0
_DEFAULT_PORTS = {"http": 80, "https": 443}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AttachmentError(Exception):
    """An attachment that could not be fetched; the message is Italian, for the reply."""


@dataclass(frozen=True, slots=True)
class AttachmentPolicy:
    """hosts: "host" (the scheme's default port) or "host:port"; networks: the non-public
    networks those hosts may resolve to."""

    hosts: Sequence[str]
    networks: Sequence[Network] = ()

    def allows_host(self, host: str, port: int, default_port: int) -> bool:
        for entry in self.hosts:
            entry_host, entry_port = _split_entry(entry)
            if entry_host == host and (entry_port or default_port) == port:
                return True
        return False

    def allows_address(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if any(address in network for network in self.networks):
            return True
        return address.is_global and not address.is_multicast


def _split_entry(entry: str) -> tuple[str, int | None]:
    """"host", "host:8080", "[::1]:8080" -> host (lower case, no brackets) and port."""
    entry = entry.strip().lower()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif entry.count(":") == 1:
        host, port = entry.split(":")
    else:
        host, port = entry, ""
    return host, int(port) if port.isdigit() else None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the name resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


async def _pinned_target(url: httpx.URL, policy: AttachmentPolicy) -> tuple[httpx.URL, str]:
    """The URL to connect to (the checked address in place of the name) and the Host header."""
    if url.scheme not in _DEFAULT_PORTS or not url.host or url.userinfo:
        raise AttachmentError(t("attachment.not_allowed"))
    default_port = _DEFAULT_PORTS[url.scheme]
    port = url.port or default_port
    host = url.host.lower()
    if not policy.allows_host(host, port, default_port):
        log.warning("rasa attachment from a host not configured: refused")
        raise AttachmentError(t("attachment.not_allowed"))
    try:
        addresses = await resolve(host, port)
    except OSError as exc:
        raise AttachmentError(t("attachment.failed")) from exc
    # Every address must be allowed: the connection may use any of them.
    if not addresses or not all(policy.allows_address(a) for a in addresses):
        log.warning("rasa attachment host resolves to a non-public address: refused")
        raise AttachmentError(t("attachment.not_allowed"))
    return url.copy_with(host=str(addresses[0])), url.netloc.decode("ascii")


async def download(client: httpx.AsyncClient, url: str, filename: str,
                   policy: AttachmentPolicy) -> IncomingFile:
    """The attachment's bytes; anything not allowed, redirected, failed or too big raises
    AttachmentError before the conversation sees it."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise AttachmentError(t("attachment.not_allowed")) from exc
    pinned, host_header = await _pinned_target(parsed, policy)
    extensions = {"sni_hostname": parsed.host} if parsed.scheme == "https" else {}
    try:
        async with asyncio.timeout(DOWNLOAD_TIMEOUT):
            request = client.build_request("GET", pinned, headers={"Host": host_header, "Accept-Encoding": "identity"},
                                           extensions=extensions)
            response = await client.send(request, stream=True, follow_redirects=False)
            try:
                data, mime = await _read_capped(response)
            finally:
                await response.aclose()
    except (httpx.HTTPError, TimeoutError) as exc:
        raise AttachmentError(t("attachment.failed")) from exc
    name = filename or parsed.path.rsplit("/", 1)[-1]
    return IncomingFile(data=data, filename=name, declared_mime_type=mime)


async def _read_capped(response: httpx.Response) -> tuple[bytes, str]:
    if response.status_code != 200:
        # Redirects included: following one would leave the configured hosts.
        log.info("rasa attachment answered HTTP %s: refused", response.status_code)
        raise AttachmentError(t("attachment.failed"))
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > DOWNLOAD_LIMIT:
        raise AttachmentError(t("attachment.too_big"))
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        size += len(chunk)
        if size > DOWNLOAD_LIMIT:
            raise AttachmentError(t("attachment.too_big"))
        chunks.append(chunk)
    mime = response.headers.get("content-type", "").split(";")[0].strip()
    return b"".join(chunks), mime
