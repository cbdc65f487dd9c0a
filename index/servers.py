"""A Chroma server's address, read from the URL a user gives (the ``chroma_url`` setting).

Kept apart from ``index.store`` and free of chromadb, so settings can check the URL when
they are built, before anything slow is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNSAFE_IN_FOLDER_NAMES = re.compile(r"[^A-Za-z0-9.-]")


@dataclass(frozen=True)
class ChromaServer:
    """Where ``chromadb.HttpClient`` connects: host, port and whether over TLS."""

    host: str
    port: int
    ssl: bool

    @property
    def url(self) -> str:
        """The address in one normal form, so equal servers print and key the same."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.ssl else 'http'}://{host}:{self.port}"

    @property
    def key(self) -> str:
        """A folder name for this server's local files, e.g. ``http-127.0.0.1-8000``."""
        scheme = "https" if self.ssl else "http"
        return _UNSAFE_IN_FOLDER_NAMES.sub("_", f"{scheme}-{self.host}-{self.port}")


def parse_chroma_url(url: str) -> ChromaServer:
    """``http[s]://host[:port]`` as a ``ChromaServer``; ``ValueError`` says what is wrong.

    The port defaults to the scheme's (80, 443) as in any URL, not to Chroma's 8000, so
    a server behind a proxy needs no port and one started by ``chroma run`` names its own.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{url!r} is not a URL: {exc}") from exc
    if parts.scheme not in _DEFAULT_PORTS:
        raise ValueError(f"{url!r} is not an http:// or https:// URL")
    if not parts.hostname:
        raise ValueError(f"{url!r} names no host")
    if parts.username or parts.password:
        raise ValueError(f"{url!r} carries a user name or password, which Chroma does not take")
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise ValueError(f"{url!r} has a path, query or fragment; give only scheme, host and port")
    return ChromaServer(
        host=parts.hostname,
        port=port or _DEFAULT_PORTS[parts.scheme],
        ssl=parts.scheme == "https",
    )
