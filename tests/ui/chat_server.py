"""Start and stop a real ``ragqa chat`` or ``ragqa serve`` for tests and the screenshot script."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.processes import stop

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
START_TIMEOUT_S = 120


def listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on ``port``, from ``/proc/net/tcp*``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                packed = bytes.fromhex(address)
                # The kernel writes each 32-bit word of the address in host (little) order.
                words = [packed[i : i + 4][::-1] for i in range(0, len(packed), 4)]
                found.add(str(ipaddress.ip_address(b"".join(words))))
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment() -> dict[str, str]:
    """This process's environment without a developer's own ragqa or OpenAI settings."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("RAGQA_") and name != "OPENAI_API_KEY"
    }


def ingest(home: Path, *paths: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ragqa", "ingest", *map(str, paths), "--home", str(home)],
        cwd=REPO,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"ragqa ingest failed: {result.stderr}")


@dataclass
class ChatServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        stop(self.process, timeout=30)


def start_chat(home: Path, *options: str) -> ChatServer:
    """``ragqa chat`` on a free loopback port over ``home``; returns once the page serves."""
    return start_server("chat", home, *options)


def start_server(
    command: str,
    home: Path,
    *options: str,
    env: Mapping[str, str] | None = None,
    ready_path: str = "",
) -> ChatServer:
    """``ragqa COMMAND`` on a free loopback port over ``home``; returns once ``ready_path``
    answers 200.

    ``env`` is added to the cleaned environment. Output goes to a file, not a pipe, so a
    chatty server can never block on it.
    """
    port = free_port()
    log = home / f"{command}-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ragqa",
                command,
                "--port",
                str(port),
                "--home",
                str(home),
                *options,
            ],
            cwd=REPO,
            env={**clean_environment(), **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = ChatServer(f"http://127.0.0.1:{port}/", process, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ragqa {command} exited early:\n{server.log_text()}")
        try:
            if httpx.get(server.url + ready_path, timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.5)  # polling interval while the server starts, not a synchronisation
    server.stop()
    raise RuntimeError(
        f"ragqa {command} did not serve within {START_TIMEOUT_S} s:\n{server.log_text()}"
    )
