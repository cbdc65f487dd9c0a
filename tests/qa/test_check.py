"""``ragqa check [--repair]``, and ingests killed mid-run (SIGKILL) at every kind of point.

After each kill the store must be consistent enough that ``check`` names what is left
(and nothing it cannot repair), ``check --repair`` leaves it whole, and the result is the
collection a clean ingest makes; and, without any check, that the next ingest finishes
the job by itself.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from index import Embedder
from qa import Assistant, Settings, StoreCheck, check_collection
from tests.conftest import REPO, SEEDS
from tests.index.conftest import FORMATS
from tests.qa.test_commands import ragqa


def _change(corpus: Path) -> None:
    """Edits for the run that is killed: two articles replaced (the one written first among
    them), one added, two pruned (one file)."""
    seed = sorted((corpus / "a-seeds").glob("*.txt"))[0]
    seed.write_text(seed.read_text() + "\nA closing paragraph added later.\n")
    tram = corpus / "formats" / "tram-line.txt"
    tram.write_text(tram.read_text() + "\nTickets cost 2.50 euros.\n")
    (corpus / "formats" / "wharf-ferry.md").write_text(
        "# Ferries to Lindholm resume\n\nThe first ferry left at seven on Monday.\n"
    )
    (corpus / "formats" / "briefs.json").unlink()


def _contents(assistant: Assistant) -> dict[str, tuple[str, frozenset[str]]]:
    """Article id → (content hash, chunk ids), as the store holds them."""
    assistant.store.sync()
    return {
        e.article_id: (e.content_hash, frozenset(e.chunk_ids)) for e in assistant.store.manifest
    }


def _problems(report: StoreCheck) -> set[str]:
    return {p.kind for p in report.problems}


@dataclass(frozen=True)
class Baseline:
    corpus: Path
    """The corpus as changed for the second run (``_change``)."""
    home: Path
    """A data directory holding the corpus as it was before the change."""
    clean: dict[str, tuple[str, frozenset[str]]]
    """What a clean ingest of the changed corpus stores."""


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Baseline:
    """Ingested by a ragqa process, so that no client of this process has the store open
    when another process (the one killed) writes to it."""
    root = tmp_path_factory.mktemp("crash")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus / "a-seeds")  # read first, so a replacement is written first
    shutil.copytree(FORMATS, corpus / "formats")
    first = ragqa("ingest", str(corpus), home=root / "home")
    assert first.returncode == 0, first.stderr
    _change(corpus)
    clean = Assistant(Settings(home=root / "clean", llm="none"), embedder=embedder)
    clean.ingest([corpus])
    return Baseline(corpus, root / "home", _contents(clean))


def _killed_at(point: str, *command: str) -> None:
    """Run ``ragqa COMMAND`` that kills itself at ``point`` (``tests.crash``); check it died."""
    killed = subprocess.run(
        [sys.executable, "-m", "tests.crash", point, *command],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr


EXPECTED = {
    # point → the problems check finds after it (notes aside); every one is repairable
    "after-upsert": {"manifest", "incomplete"},
    "mid-article": {"manifest", "incomplete"},
    "mid-prune": {"manifest"},
    "manifest": {"manifest"},
    "bm25": set(),
}


@pytest.mark.slow
@pytest.mark.parametrize("point", list(EXPECTED))
def test_an_ingest_killed_at_any_point_is_repaired_by_check_or_finished_by_ingest(
    baseline: Baseline, tmp_path: Path, embedder: Embedder, point: str
) -> None:
    settings = Settings(home=tmp_path / "home", llm="none")
    shutil.copytree(baseline.home, settings.home)
    _killed_at(point, "ingest", "--prune", str(baseline.corpus), "--home", str(settings.home))
    untouched = settings.model_copy(update={"home": tmp_path / "home-copy"})
    shutil.copytree(settings.home, untouched.home)

    found = check_collection(settings)
    assert _problems(found) == EXPECTED[point]
    assert all(p.repairable for p in (*found.problems, *found.notes))
    if point in ("manifest", "bm25"):
        assert "leftover" in {n.kind for n in found.notes}

    repaired = check_collection(settings, repair=True, embedder=embedder)
    assert repaired.ok and repaired.notes == ()
    assert {(p.kind, p.subject) for p in repaired.repaired} == {
        (p.kind, p.subject) for p in (*found.problems, *found.notes)
    }
    again = check_collection(settings)
    assert again.ok and again.notes == ()
    # What the killed run did not get to (the rest of the writes, the prune) is done by
    # the next ingest, as it would be anyway.
    assistant = Assistant(settings, embedder=embedder)
    assistant.ingest([baseline.corpus], prune=True)
    assert _contents(assistant) == baseline.clean

    # And without any check, the next ingest finishes the job by itself.
    assistant = Assistant(untouched, embedder=embedder)
    assistant.ingest([baseline.corpus], prune=True)
    assert _contents(assistant) == baseline.clean
    after = check_collection(untouched)
    assert after.ok and {n.kind for n in after.notes} <= {"leftover"}


LONG_RUN = 500
"""Articles in the long ingest that is killed early and midway."""


def _wire_story(n: int) -> str:
    """A short, distinct article: a few sentences with numbers and names of its own."""
    towns = ("Arnhem", "Bruges", "Cadiz", "Dundee", "Esbjerg", "Faro", "Gdynia", "Hull")
    town = towns[n % len(towns)]
    return (
        f"Harbour report {n}: {town} berth {n} reopens\n\n"
        f"The berth numbered {n} at {town} reopened on day {n % 28 + 1} after repairs costing "
        f"{n * 13 % 900 + 100} thousand euros. Its harbour master, captain {n}, said ships "
        f"of up to {n % 40 + 10} thousand tonnes can dock again.\n"
    )


@pytest.fixture(scope="module")
def long_run(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Baseline:
    """A corpus of ``LONG_RUN`` articles and what a clean ingest of it stores."""
    root = tmp_path_factory.mktemp("long-run")
    corpus = root / "corpus"
    corpus.mkdir()
    for n in range(LONG_RUN):
        (corpus / f"harbour-{n:03d}.txt").write_text(_wire_story(n), encoding="utf-8")
    clean = Assistant(Settings(home=root / "clean", llm="none"), embedder=embedder)
    clean.ingest([corpus])
    return Baseline(corpus, root / "clean", _contents(clean))


@pytest.mark.slow
@pytest.mark.parametrize("point", ["article-5", f"article-{LONG_RUN // 2}"])
def test_a_long_ingest_killed_early_or_midway_is_finished_by_the_next_one(
    long_run: Baseline, tmp_path: Path, embedder: Embedder, point: str
) -> None:
    home = tmp_path / "home"
    _killed_at(point, "ingest", str(long_run.corpus), "--home", str(home))
    again = ragqa("ingest", str(long_run.corpus), home=home)
    assert again.returncode == 0, again.stderr
    settings = Settings(home=home, llm="none")
    assert check_collection(settings).ok
    stored = _contents(Assistant(settings, embedder=embedder))
    assert len(stored) == LONG_RUN
    assert stored == long_run.clean


def test_check_changes_nothing_and_names_each_problem(
    tmp_path: Path, embedder: Embedder, seeds_copy: Path
) -> None:
    settings = Settings(home=tmp_path / "home", llm="none")
    assistant = Assistant(settings, embedder=embedder)
    assistant.ingest([seeds_copy])
    store_dir = settings.store_dir
    manifest = store_dir / f"{settings.collection}.manifest.json"
    collection = assistant.store.vector_store.client
    first, second = sorted(seeds_copy.glob("*.txt"))
    # Part of one article gone; the other's file gone with part of a second version left;
    # a chunk of no article; a temporary file; and the manifest left from before.
    got = collection.get(where={"article_id": first.resolve().as_posix()}, include=[])
    collection.delete(ids=got["ids"][:2])
    got = collection.get(
        where={"article_id": second.resolve().as_posix()},
        include=["embeddings", "metadatas", "documents"],
    )
    stray = {**got["metadatas"][0], "content_hash": "0" * 64, "chunk_count": 9}
    collection.add(
        ids=["stray-version-0", "orphan"],
        embeddings=[got["embeddings"][0], got["embeddings"][1]],
        metadatas=[stray, {"note": "written by another program"}],
        documents=["A stray chunk.", "An orphan."],
    )
    second.unlink()
    (store_dir / f".{manifest.name}.tmp123").write_text("{")

    def files() -> dict[str, bytes]:  # Chroma's own aside: the manifest, the temporary file
        return {p.name: p.read_bytes() for p in store_dir.glob("*.json*")}

    before = files()
    found = check_collection(settings)
    assert files() == before
    by_subject = {p.subject: p for p in found.problems}
    assert by_subject[first.resolve().as_posix()].kind == "incomplete"
    assert f"ingests {first.resolve()} again" in by_subject[first.resolve().as_posix()].fix
    assert "keeps the complete version" in by_subject[second.resolve().as_posix()].fix
    assert "1 chunk of no article" in by_subject["articles"].message
    assert "disagrees with Chroma" in by_subject[str(manifest)].message
    assert [n.kind for n in found.notes] == ["leftover"]

    repaired = check_collection(settings, repair=True, embedder=embedder)
    assert repaired.ok and repaired.notes == ()
    assert len(repaired.repaired) == 5
    reopened = Assistant(settings, embedder=embedder)
    assert {a.article_id: a.complete for a in reopened.stats().articles} == {
        first.resolve().as_posix(): True,
        second.resolve().as_posix(): True,
    }
    assert json.loads(manifest.read_text())["format"] == 2


def test_an_article_left_incomplete_with_its_file_gone_is_named_not_deleted(
    tmp_path: Path, embedder: Embedder, seeds_copy: Path
) -> None:
    settings = Settings(home=tmp_path / "home", llm="none")
    assistant = Assistant(settings, embedder=embedder)
    assistant.ingest([seeds_copy])
    collection = assistant.store.vector_store.client
    path = sorted(seeds_copy.glob("*.txt"))[0]
    got = collection.get(where={"article_id": path.resolve().as_posix()}, include=[])
    collection.delete(ids=got["ids"][:1])
    path.unlink()

    repaired = check_collection(settings, repair=True, embedder=embedder)
    (problem,) = repaired.problems
    assert (problem.kind, problem.repairable) == ("incomplete", False)
    assert "restore the file" in problem.fix and "--prune" in problem.fix
    assert len(collection.get(where={"article_id": path.resolve().as_posix()})["ids"]) > 0


def test_ragqa_check_reports_repairs_and_exits_by_what_is_left(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert ragqa("ingest", "seeds", home=home).returncode == 0
    manifest = home / "chroma" / "articles.manifest.json"
    manifest.unlink()

    found = ragqa("check", home=home)
    assert found.returncode == 1, found.stderr
    assert found.stdout.startswith(f"collection articles at {home / 'chroma'}: 2 articles, ")
    assert f"problem: {manifest}: missing; --repair writes it again" in found.stderr
    assert "1 problem; 'ragqa check --repair' repairs what it can" in found.stdout
    assert not manifest.exists()

    repaired = ragqa("check", "--repair", home=home)
    assert repaired.returncode == 0, repaired.stderr
    assert f"repaired: {manifest}: missing" in repaired.stdout
    assert "the collection is consistent" in repaired.stdout
    assert manifest.exists()
    assert ragqa("check", home=home).stdout.endswith("no problems found\n")


def test_a_damaged_store_is_named_and_rebuilt_from_the_articles_files(
    tmp_path: Path, seeds_copy: Path
) -> None:
    """Run as separate processes: chromadb keeps a store open per process, so a process
    that had it open before it was damaged would not notice."""
    home = tmp_path / "home"
    first, second = sorted(seeds_copy.glob("*.txt"))
    assert ragqa("ingest", str(seeds_copy), home=home).returncode == 0
    assert ragqa("ingest", str(first), "--collection", "other", home=home).returncode == 0
    database = home / "chroma" / "chroma.sqlite3"
    database.write_bytes(database.read_bytes()[:20_000])  # a failing disk, not ragqa
    second.unlink()

    stats = ragqa("stats", home=home)
    assert stats.returncode == 1
    (line,) = stats.stderr.strip().splitlines()
    assert "database disk image is malformed" in line
    assert "'ragqa check --repair' moves it aside" in line

    found = ragqa("check", home=home)
    assert found.returncode == 1
    assert f"problem: {home / 'chroma'}: Chroma's database cannot be read" in found.stderr

    repaired = ragqa("check", "--repair", home=home)
    assert repaired.returncode == 1, repaired.stderr  # one article's file is gone
    (aside,) = home.glob("chroma.damaged-*")
    assert (aside / "chroma.sqlite3").stat().st_size == 20_000  # kept, not deleted
    assert f"repaired: {home / 'chroma'}: Chroma's database cannot be read" in repaired.stdout
    assert f"problem: {second.resolve()}: its file is gone" in repaired.stderr
    for collection in ("articles", "other"):
        stats = ragqa("stats", "--collection", collection, home=home)
        assert stats.returncode == 0, stats.stderr
        assert "1 articles" in stats.stdout and first.name in stats.stdout
