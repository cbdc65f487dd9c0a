"""ragqa on a real Chroma server (``chroma run`` on loopback): the same product as embedded.

Ingest, re-ingest, prune, filtered questions, BM25 following another machine's changes,
an eval run, and two processes ingesting into one collection at once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import chromadb
import pytest

from eval.cli import main as eval_main
from index import Embedder, parse_chroma_url
from index.manifest import read_manifest
from qa import Assistant, RetrievalFilters, Settings
from qa.retrieval import Retriever
from tests.conftest import REPO, SEEDS
from tests.polling import eventually

FOREIGN_MINISTER = "Who is North Korea's foreign minister?"
RECORDS = [
    {
        "title": "Harbour crane contract signed",
        "body": "The port authority signed a contract for four new harbour cranes on Monday.",
        "source": "Coast Courier",
        "published": "2023-05-02",
    },
    {
        "title": "Harbour cranes arrive early",
        "body": "The four harbour cranes ordered by the port authority arrived a month early.",
        "source": "Harbour Herald",
        "published": "2024-03-18",
    },
]


def _settings(home: Path, collection: str, url: str, **overrides: Any) -> Settings:
    return Settings(home=home, collection=collection, chroma_url=url, llm="none", **overrides)


def _server_chunks(url: str, collection: str) -> dict[str, dict[str, Any]]:
    """Chunk id → metadata, read from the server directly rather than through ragqa."""
    server = parse_chroma_url(url)
    client = chromadb.HttpClient(host=server.host, port=server.port)
    got = client.get_collection(collection, embedding_function=None).get(include=["metadatas"])
    return dict(zip(got["ids"], got["metadatas"], strict=True))


def _article_id(path: Path) -> str:
    return path.resolve().as_posix()


def test_ingest_reingest_and_prune_on_a_server(
    settings: Settings, embedder: Embedder, chroma_url: str, seeds_copy: Path
) -> None:
    server_settings = _settings(settings.home, settings.collection, chroma_url)
    assistant = Assistant(server_settings, embedder=embedder)
    first = assistant.ingest([seeds_copy])
    assert len(first.added) == 2 and not first.failed
    stored = _server_chunks(chroma_url, settings.collection)
    assert len(stored) == first.chunks_written > 0

    again = assistant.ingest([seeds_copy])
    assert (again.added, again.replaced, again.chunks_written) == ((), (), 0)
    assert sorted(again.skipped) == sorted(first.added)
    assert _server_chunks(chroma_url, settings.collection) == stored

    gone = seeds_copy / "north-korea-rules-out-dialogue-with-japan-at-any-level.txt"
    gone.unlink()
    pruned = assistant.ingest([seeds_copy], prune=True)
    assert pruned.deleted == (_article_id(gone),)
    left = _server_chunks(chroma_url, settings.collection)
    assert left and {meta["article_id"] for meta in left.values()} == {
        _article_id(seeds_copy / "north-korea-rejects-contact-and-summit-with-japan.txt")
    }
    assert _article_id(gone) not in assistant.store.stored_articles()
    # The deleted article's own words find nothing in BM25 any more; the other's still do.
    bm25 = Retriever.from_settings(
        _settings(settings.home, settings.collection, chroma_url, retrieval="bm25"),
        assistant.store,
        embedder,
    )
    assert bm25.retrieve("Ri Ryong Nam ambassador", 5, RetrievalFilters()) == []
    assert bm25.retrieve("Kim Yo Jong", 5, RetrievalFilters())
    # The manifest and BM25 index live locally, in a folder of this server's own.
    local = settings.home / "chroma-servers" / parse_chroma_url(chroma_url).key
    manifest = read_manifest(local / f"{settings.collection}.manifest.json")
    assert manifest is not None and manifest.chunk_ids() == set(left)
    assert (local / f"{settings.collection}.bm25" / "CURRENT").is_file()


def test_questions_with_filters_on_a_server(
    settings: Settings, embedder: Embedder, chroma_url: str, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "cranes.jsonl").write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n")
    assistant = Assistant(
        _settings(settings.home, settings.collection, chroma_url), embedder=embedder
    )
    assert not assistant.ingest([corpus]).failed

    answer = assistant.ask(FOREIGN_MINISTER)
    assert "Choe Son Hui" in answer.text
    other = _article_id(corpus / "north-korea-rejects-contact-and-summit-with-japan.txt")
    only_other = assistant.ask(FOREIGN_MINISTER, filters=RetrievalFilters(article_ids=(other,)))
    assert only_other.passages and {p.article_id for p in only_other.passages} == {other}

    cranes = "When did the harbour cranes arrive?"
    herald = assistant.ask(cranes, filters=RetrievalFilters(sources=("Harbour Herald",)))
    assert herald.passages and {p.source for p in herald.passages} == {"Harbour Herald"}
    before_2024 = assistant.ask(cranes, filters=RetrievalFilters(until=date(2023, 12, 31)))
    assert before_2024.passages and {p.published for p in before_2024.passages} == {"2023-05-02"}
    nowhere = assistant.ask(cranes, filters=RetrievalFilters(sources=("No Such Wire",)))
    assert nowhere.passages == () and not nowhere.answerable


def test_bm25_follows_changes_made_on_another_machine(
    settings: Settings, embedder: Embedder, chroma_url: str, tmp_path: Path
) -> None:
    # Two data directories stand for two machines sharing one server collection.
    here = Assistant(
        _settings(settings.home, settings.collection, chroma_url, retrieval="bm25"),
        embedder=embedder,
    )
    elsewhere = Assistant(
        _settings(tmp_path / "other-machine", settings.collection, chroma_url), embedder=embedder
    )
    assert here.retriever.retrieve("Choe Son Hui", 5, RetrievalFilters()) == []

    elsewhere.ingest([SEEDS])
    # Caught up with off the question path: the change arrives once that ends.
    found = eventually(lambda: here.retriever.retrieve("Choe Son Hui", 5, RetrievalFilters()))
    minister = _article_id(SEEDS / "north-korea-rules-out-dialogue-with-japan-at-any-level.txt")
    assert minister in {p.article_id for p in found}
    assert {a.article_id for a in here.stats().articles} == {
        a.article_id for a in elsewhere.stats().articles
    }

    elsewhere.delete_article(minister)
    assert minister not in {
        p.article_id for p in here.retriever.retrieve("Choe Son Hui", 5, RetrievalFilters())
    }
    assert minister not in {a.article_id for a in here.stats().articles}


def test_eval_runs_against_a_server(shared_home: Path, chroma_url: str, tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    code = eval_main(
        [
            "--corpus", str(REPO / "seeds"),
            "--gold", str(REPO / "eval" / "gold" / "seeds.jsonl"),
            "--store", str(shared_home),
            "--chroma-url", chroma_url,
            "--llm", "none",
            "--limit", "5",
            "--quiet",
            "--json", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    result = json.loads(out.read_text())
    assert result["config"]["n_questions"] == 5
    assert result["metrics"]["hit_at_k"] > 0.5
    assert len(result["questions"]) == 5


def test_two_processes_ingesting_into_one_collection_at_once_leave_it_consistent(
    settings: Settings, embedder: Embedder, chroma_url: str, tmp_path: Path
) -> None:
    news = sorted((REPO / "eval" / "news" / "articles").glob("*.txt"))
    folders = [tmp_path / "desk-a", tmp_path / "desk-b"]
    halves = (news[::2], [*news[1::2], *SEEDS.glob("*.txt")])
    for folder, files in zip(folders, halves, strict=True):
        folder.mkdir()
        for path in files:
            shutil.copy(path, folder / path.name)
    expected = {_article_id(p) for folder in folders for p in folder.iterdir()}
    environment = {
        **os.environ,
        "RAGQA_HOME": str(settings.home),
        "RAGQA_COLLECTION": settings.collection,
        "RAGQA_CHROMA_URL": chroma_url,
        "RAGQA_LLM": "none",
    }
    ingests = [
        subprocess.Popen(
            [sys.executable, "-m", "ragqa", "ingest", str(folder)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in folders
    ]
    for ingest in ingests:
        stdout, stderr = ingest.communicate(timeout=900)
        assert ingest.returncode == 0, stderr
        assert " 0 failed" in stdout

    chunks = _server_chunks(chroma_url, settings.collection)
    ordinals: dict[str, list[int]] = defaultdict(list)
    for meta in chunks.values():
        ordinals[str(meta["article_id"])].append(int(meta["ordinal"]))
    assert set(ordinals) == expected
    counts = {str(m["article_id"]): int(m["chunk_count"]) for m in chunks.values()}
    # Every article's chunks, each once.
    assert {a: sorted(o) for a, o in ordinals.items()} == {
        a: list(range(counts[a])) for a in ordinals
    }

    assistant = Assistant(
        _settings(settings.home, settings.collection, chroma_url), embedder=embedder
    )
    stored = {a.article_id: a for a in assistant.stats().articles}
    assert set(stored) == expected
    assert all(a.complete and a.chunk_count == counts[a.article_id] for a in stored.values())
    manifest = read_manifest(assistant.store.manifest_path)  # type: ignore[arg-type]
    assert manifest is not None and manifest.chunk_ids() == set(chunks)
    again = assistant.ingest(folders)
    assert (again.added, again.replaced, again.chunks_written) == ((), (), 0)


def test_an_unreachable_server_is_one_line_naming_the_setting(
    shared_home: Path, tmp_path: Path
) -> None:
    from tests.chroma_server import free_port

    url = f"http://127.0.0.1:{free_port()}"
    done = subprocess.run(
        [sys.executable, "-m", "ragqa", "stats", "--chroma-url", url, "--home", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("RAGQA_")},
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: no Chroma server answers at {url}")
    assert "chroma_url" in lines[0] and "Traceback" not in done.stderr
    assert not (tmp_path / "chroma-servers").exists()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://127.0.0.1:8000", "is not an http:// or https:// URL"),
        ("http://", "names no host"),
        ("http://127.0.0.1:99999", "is not a URL"),
        ("http://127.0.0.1:8000/chroma", "has a path"),
        ("http://user:secret@127.0.0.1:8000", "user name or password"),
    ],
)
def test_a_bad_chroma_url_is_refused_naming_the_setting(
    url: str, reason: str, tmp_path: Path
) -> None:
    from qa import SettingsError

    with pytest.raises(SettingsError, match="chroma_url") as raised:
        Settings.from_env(home=tmp_path, chroma_url=url)
    assert reason in str(raised.value)
