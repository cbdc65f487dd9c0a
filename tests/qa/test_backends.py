"""The LLM backends behind one interface, against real models and a real server.

The OpenAI-compatible backend talks to llama-cpp-python's own server running the
bundled Gemma. No Ollama server exists here, so the Ollama backend is tested for its
construction and its errors (nothing listening, a silent server, an HTTP error from
a canned loopback server); a canned server stands in only for those error paths.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from index import Embedder
from qa import Assistant, BackendError, ModelError, Settings, SettingsError
from qa.answer.prompts import short_answer_prompt
from qa.llm import LlamaCppBackend, OllamaBackend, OpenAIBackend, first_line, make_backend
from qa.models import bundled_gemma_path
from qa.settings import DEFAULT_OLLAMA_URL
from tests.conftest import SEEDS, RecordingLLM
from tests.processes import stop

PROMPT = short_answer_prompt(
    "Who is North Korea's foreign minister?",
    [
        "Quoting North Korea's foreign minister Choe Son Hui, KCNA stated that there was "
        "no interest in any summit meeting with Japan."
    ],
)
SERVER_START_S = 120


def _free_port() -> int:
    """A loopback port nothing listens on (the kernel just handed it out and took it back)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _openai_settings(base_url: str, **extra: object) -> Settings:
    return Settings(llm="openai", llm_base_url=base_url, llm_model="gemma", **extra)


# --- a real OpenAI-compatible server ------------------------------------------------


@pytest.fixture(scope="module")
def llama_server(shared_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server on the bundled Gemma; yields its /v1 URL."""
    model = bundled_gemma_path(shared_home / "models")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
        # One thread: with two, a core busy elsewhere (this test process, a parallel
        # job) stalls llama.cpp's thread barrier, from 0.05 s to 2 s per token.
        "--n_threads", "1", "--n_threads_batch", "1",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"llama_cpp.server exited early:\n{log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server not up in {SERVER_START_S} s:\n"
                            f"{log_path.read_text()[-3000:]}")  # fmt: skip
            time.sleep(0.25)
        yield base_url
    finally:
        stop(server)


@pytest.mark.slow
def test_openai_backend_completes_a_one_shot_prompt(llama_server: str) -> None:
    backend = make_backend(_openai_settings(llama_server))
    assert isinstance(backend, OpenAIBackend) and backend.name == "openai"
    reply = backend.complete(PROMPT)
    assert "Choe Son Hui" in reply
    assert "\n" not in reply


@pytest.mark.slow
def test_openai_backend_streams_the_same_text(llama_server: str) -> None:
    backend = make_backend(_openai_settings(llama_server))
    assert backend is not None
    deltas = list(backend.stream(PROMPT))
    assert len(deltas) >= 1
    assert "".join(deltas) == backend.complete(PROMPT)


@pytest.mark.slow
def test_openai_chat_mode_answers_one_line(llama_server: str) -> None:
    """/v1/chat/completions. The server wraps the base model in a fallback template, so
    only the shape of the reply is checked: the base model then answers unsteadily
    (two identical requests differ once the server reuses its prompt cache)."""
    backend = make_backend(_openai_settings(llama_server, llm_chat=True))
    assert backend is not None
    reply = backend.complete(PROMPT)
    assert reply.strip() and "\n" not in reply
    deltas = list(backend.stream(PROMPT))
    assert deltas and "\n" not in "".join(deltas)


@pytest.mark.slow
def test_assistant_answers_through_the_openai_backend(
    llama_server: str, settings: Settings, embedder: Embedder
) -> None:
    openai_settings = Settings(
        home=settings.home,
        collection=settings.collection,
        llm="openai",
        llm_base_url=llama_server,
        llm_model="gemma",
    )
    assistant = Assistant(openai_settings, embedder=embedder)
    assistant.ingest([SEEDS])
    answer = assistant.ask("Who is North Korea's ambassador to China?")
    assert answer.answerable
    assert "Ri Ryong Nam" in answer.text
    assert re.search(r"\[\d+\]", answer.text)
    assert answer.backend == "openai"


@pytest.mark.slow
def test_cited_answers_stream_through_the_openai_backend(
    llama_server: str, settings: Settings, embedder: Embedder
) -> None:
    """The server writes over numbered passages; what reaches the user is verified."""
    cited = _openai_settings(
        llama_server, home=settings.home, collection=settings.collection, answer_style="cited"
    )
    server = make_backend(cited)
    assert isinstance(server, OpenAIBackend)
    model = RecordingLLM(server)
    assistant = Assistant(cited, embedder=embedder, llm=model)
    assistant.ingest([SEEDS])
    *pieces, answer = assistant.stream("How many Japanese nationals does Tokyo list as abductees?")
    assert len(model.prompts) == 1 and "[1]" in model.prompts[0]  # the server was asked
    assert "".join(pieces) == answer.text
    assert answer.backend == "openai"
    if answer.answerable:
        markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
        assert markers and markers == {c.n for c in answer.citations}
        assert markers <= {p.n for p in answer.passages}
    else:
        assert answer.text.startswith("The articles do not say.")


# --- failures of server backends ----------------------------------------------------


@pytest.mark.parametrize("llm", ["openai", "ollama"])
def test_nothing_listening_is_a_backend_error_naming_the_url(llm: str) -> None:
    url = f"http://127.0.0.1:{_free_port()}" + ("/v1" if llm == "openai" else "")
    backend = make_backend(Settings(llm=llm, llm_base_url=url, llm_model="gemma"))
    assert backend is not None
    for call in (backend.complete, lambda prompt: "".join(backend.stream(prompt))):
        with pytest.raises(BackendError, match="connection refused") as caught:
            call(PROMPT)
        assert url in str(caught.value)
        assert "RAGQA_LLM_BASE_URL" in str(caught.value)


@pytest.mark.parametrize("llm", ["openai", "ollama"])
def test_a_silent_server_is_a_timeout_naming_the_setting(llm: str) -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        backend = make_backend(
            Settings(llm=llm, llm_base_url=url, llm_model="gemma", llm_timeout_s=0.5)
        )
        assert backend is not None
        started = time.monotonic()
        with pytest.raises(BackendError, match=r"did not answer within 0\.5 s") as caught:
            backend.complete(PROMPT)
        assert time.monotonic() - started < 10
        assert "RAGQA_LLM_TIMEOUT_S" in str(caught.value)


class _Canned(BaseHTTPRequestHandler):
    """Answers every POST with the status and JSON body set on the server."""

    def do_POST(self) -> None:
        self.server.seen.append(dict(self.headers))  # type: ignore[attr-defined]
        status, body = self.server.reply  # type: ignore[attr-defined]
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canned_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Canned)
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_rejected_api_key_says_which_setting_to_fix(
    canned_server: ThreadingHTTPServer,
) -> None:
    canned_server.reply = (401, {"error": {"message": "Invalid API key"}})  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{canned_server.server_port}/v1"
    backend = make_backend(_openai_settings(url, llm_api_key="sk-test-123"))
    assert backend is not None
    with pytest.raises(BackendError, match="RAGQA_LLM_API_KEY") as caught:
        backend.complete(PROMPT)
    assert "sk-test-123" not in str(caught.value)
    assert canned_server.seen[-1]["Authorization"] == "Bearer sk-test-123"  # type: ignore[attr-defined]


def test_a_missing_ollama_model_says_how_to_pull_it(canned_server: ThreadingHTTPServer) -> None:
    canned_server.reply = (404, {"error": "model 'gemma3:270m' not found"})  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{canned_server.server_port}"
    backend = make_backend(Settings(llm="ollama", llm_base_url=url, llm_model="gemma3:270m"))
    assert backend is not None
    for call in (backend.complete, lambda prompt: "".join(backend.stream(prompt))):
        with pytest.raises(BackendError, match="ollama pull gemma3:270m"):
            call(PROMPT)


# --- llama-cpp ----------------------------------------------------------------------


@pytest.mark.slow
def test_llama_cpp_stream_joins_to_complete(gemma: LlamaCppBackend) -> None:
    assert gemma.plain  # the bundled base model has no chat template
    reply = gemma.complete(PROMPT)
    deltas = list(gemma.stream(PROMPT))
    assert len(deltas) >= 1
    assert "".join(deltas) == reply
    assert "Choe Son Hui" in reply


def _with_chat_template(source: Path, target: Path, template: str) -> None:
    """Copy a GGUF file, adding ``tokenizer.chat_template`` to its metadata.

    GGUF: header (magic, version, tensor count, kv count), key/value pairs, tensor
    infos, padding to the alignment, tensor data (offsets relative to its start).
    """
    sizes = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}

    def skip(buf: bytes, pos: int, kind: int) -> int:
        if kind == 8:  # string
            return pos + 8 + struct.unpack_from("<Q", buf, pos)[0]
        if kind == 9:  # array
            item, count = struct.unpack_from("<IQ", buf, pos)
            pos += 12
            if item in sizes:
                return pos + sizes[item] * count
            for _ in range(count):
                pos = skip(buf, pos, item)
            return pos
        return pos + sizes[kind]

    def string(text: str) -> bytes:
        return struct.pack("<Q", len(text.encode())) + text.encode()

    with source.open("rb") as f:
        head = f.read(64 * 1024 * 1024)
    magic, version, n_tensors, n_kv = struct.unpack_from("<4sIQQ", head)
    assert magic == b"GGUF"
    pos, alignment = 24, 32
    for _ in range(n_kv):
        key_len = struct.unpack_from("<Q", head, pos)[0]
        key = head[pos + 8 : pos + 8 + key_len].decode()
        pos += 8 + key_len
        kind = struct.unpack_from("<I", head, pos)[0]
        pos += 4
        if key == "general.alignment":
            alignment = struct.unpack_from("<I", head, pos)[0]
        pos = skip(head, pos, kind)
    kv_end = pos
    for _ in range(n_tensors):
        pos += 8 + struct.unpack_from("<Q", head, pos)[0]
        pos += 4 + 8 * struct.unpack_from("<I", head, pos)[0] + 4 + 8
    data_start = -(-pos // alignment) * alignment
    header = (
        struct.pack("<4sIQQ", magic, version, n_tensors, n_kv + 1)
        + head[24:kv_end]
        + string("tokenizer.chat_template")
        + struct.pack("<I", 8)
        + string(template)
        + head[kv_end:pos]
    )
    with source.open("rb") as src, target.open("wb") as dst:
        dst.write(header + b"\0" * (-len(header) % alignment))
        src.seek(data_start)
        shutil.copyfileobj(src, dst, 16 * 1024 * 1024)


@pytest.mark.slow
def test_llama_cpp_applies_the_gguf_chat_template(shared_home: Path, tmp_path: Path) -> None:
    """A template that passes the user message through unchanged (after BOS) must give
    the base model's own answer; any other formatting of the prompt would not."""
    templated = tmp_path / "gemma-chat.gguf"
    _with_chat_template(
        bundled_gemma_path(shared_home / "models"),
        templated,
        "{{ bos_token }}{{ messages[0]['content'] }}",
    )
    try:
        # One thread: this test is about the template, and one thread keeps it quick
        # when another process competes for the two cores.
        backend = make_backend(Settings(home=shared_home, llm_model_path=templated, llm_threads=1))
        assert isinstance(backend, LlamaCppBackend)
        assert not backend.plain
        reply = backend.complete(PROMPT)
        assert "Choe Son Hui" in reply and "\n" not in reply
        assert "".join(backend.stream(PROMPT)) == reply
    finally:
        templated.unlink()  # 250 MB; pytest keeps the last runs' temporary folders


def test_a_missing_gguf_is_a_model_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "model.gguf"
    with pytest.raises(ModelError, match="RAGQA_LLM_MODEL_PATH") as caught:
        make_backend(Settings(home=tmp_path, llm_model_path=missing))
    assert str(missing) in str(caught.value)


def test_a_file_that_is_not_gguf_is_a_model_error_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a gguf file at all")
    with pytest.raises(ModelError, match="cannot load GGUF model") as caught:
        make_backend(Settings(home=tmp_path, llm_model_path=broken))
    assert str(broken) in str(caught.value)


# --- settings and construction ------------------------------------------------------


def test_none_means_no_backend() -> None:
    assert make_backend(Settings(llm="none")) is None


def test_openai_without_a_base_url_is_a_settings_error_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(SettingsError, match=r"llm_base_url \(RAGQA_LLM_BASE_URL\)") as caught:
        Settings(llm="openai", llm_model="gemma")
    assert "llm_model" not in str(caught.value)
    monkeypatch.setenv("RAGQA_LLM", "openai")
    with pytest.raises(SettingsError, match=r"llm_base_url.*llm_model"):
        Settings.from_env()


def test_a_base_url_must_be_http() -> None:
    with pytest.raises(SettingsError, match="llm_base_url"):
        Settings.from_env(llm="openai", llm_base_url="127.0.0.1:8000/v1", llm_model="m")


def test_ollama_needs_a_model_and_defaults_to_the_local_server() -> None:
    with pytest.raises(SettingsError, match="llm_model"):
        Settings(llm="ollama")
    backend = make_backend(Settings(llm="ollama", llm_model="gemma3:270m"))  # no network
    assert isinstance(backend, OllamaBackend) and backend.name == "ollama"
    assert backend.base_url == DEFAULT_OLLAMA_URL


def test_api_key_precedence_and_openai_api_key_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env().llm_api_key is None
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    key = Settings.from_env().llm_api_key
    assert key is not None and key.get_secret_value() == "sk-openai"
    assert "sk-openai" not in repr(Settings.from_env())
    (tmp_path / "ragqa.toml").write_text('llm_api_key = "sk-toml"\n')
    assert Settings.from_env().llm_api_key.get_secret_value() == "sk-toml"  # type: ignore[union-attr]
    monkeypatch.setenv("RAGQA_LLM_API_KEY", "sk-ragqa")
    assert Settings.from_env().llm_api_key.get_secret_value() == "sk-ragqa"  # type: ignore[union-attr]
    assert Settings.from_env(llm_api_key="sk-flag").llm_api_key.get_secret_value() == "sk-flag"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("deltas", "line"),
    [
        ([" Choe", " Son", " Hui"], "Choe Son Hui"),
        (["\n", " \n", "Choe Son", " Hui\nQuestion: more"], "Choe Son Hui"),
        (["17", "\n", "never read"], "17"),
        (["\n\n"], ""),
        ([], ""),
    ],
)
def test_first_line_drops_leading_space_and_stops_at_the_newline(
    deltas: list[str], line: str
) -> None:
    source = iter(deltas)
    assert "".join(first_line(source)) == line
    if "never read" in deltas:
        assert next(source) == "never read"  # stopped reading at the newline
