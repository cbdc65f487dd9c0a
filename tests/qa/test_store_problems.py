"""When the store itself fails: a full disk, a Chroma server that goes away.

Each failure is one line that says what to do, loses nothing already stored, and the
next run, once the cause is gone, finishes the job.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import Embedder
from qa import Assistant, CorpusError, Settings, check_collection
from tests.chroma_server import chroma_server
from tests.conftest import SEEDS
from tests.qa.test_commands import ragqa

_WORDS = [
    "harbour",
    "council",
    "ferry",
    "bridge",
    "minister",
    "strike",
    "flood",
    "budget",
    "tram",
    "library",
    "museum",
    "port",
    "election",
    "river",
    "market",
    "grain",
    "farmers",
    "drought",
    "observatory",
    "airline",
    "orchard",
    "festival",
]


def _articles(folder: Path, count: int) -> Path:
    """``count`` distinct made-up articles of about 3 kB each."""
    folder.mkdir()
    rng = random.Random(7)
    for n in range(count):
        sentences = [
            " ".join(rng.choice(_WORDS) for _ in range(12)).capitalize() + "." for _ in range(40)
        ]
        (folder / f"story-{n:02}.txt").write_text(f"Story {n}\n\n" + " ".join(sentences) + "\n")
    return folder


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1.5 MB file system (tmpfs), which a few dozen articles fill: mounting one needs
    root, so elsewhere the test is skipped."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill ({mounted.stderr.strip()}); run as root")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.slow
def test_a_full_disk_is_one_line_and_the_next_ingest_finishes(
    small_disk: Path, tmp_path: Path
) -> None:
    home = small_disk / "home"
    articles = _articles(tmp_path / "articles", 40)

    full = ragqa("ingest", str(articles), home=home)
    assert full.returncode == 1
    (line,) = full.stderr.strip().splitlines()
    assert line.startswith("error: cannot write chunks of ")
    assert f"the disk holding {home / 'chroma'} is full" in line
    assert "free some space and try again" in line

    subprocess.run(["mount", "-o", "remount,size=40m", str(small_disk)], check=True)
    done = ragqa("ingest", str(articles), home=home)
    assert done.returncode == 0, done.stderr
    assert ", 0 failed" in done.stdout and "40 articles" in ragqa("stats", home=home).stdout
    checked = ragqa("check", home=home)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_chroma_server_that_goes_away_is_named_and_nothing_is_lost(
    tmp_path: Path, embedder: Embedder, seeds_copy: Path
) -> None:
    with chroma_server(tmp_path / "data", tmp_path / "server.log") as url:
        settings = Settings(home=tmp_path / "home", chroma_url=url, llm="none")
        assistant = Assistant(settings, embedder=embedder)
        assistant.ingest([seeds_copy])
    more = seeds_copy / "ferry.md"
    more.write_text("# Ferries to Lindholm resume\n\nThe first ferry left on Monday.\n")

    with pytest.raises(CorpusError) as caught:
        assistant.ingest([seeds_copy])
    message = str(caught.value)
    assert f"the Chroma server at {url} stopped answering" in message
    assert "what was stored before stays stored" in message

    # The same data served again (at another port): everything is there, and the
    # article the failed run could not write is written by the next one.
    with chroma_server(tmp_path / "data", tmp_path / "server-2.log") as url:
        settings = Settings(home=tmp_path / "home-2", chroma_url=url, llm="none")
        assistant = Assistant(settings, embedder=embedder)
        assert len(assistant.stats().articles) == len(list(SEEDS.glob("*.txt")))
        report = assistant.ingest([seeds_copy])
        assert len(report.added) == 1 and report.ok
        assert check_collection(settings).ok


def test_a_store_folder_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "chroma").write_text("not a folder")
    result = ragqa("stats", home=home)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot open the Chroma store at {home / 'chroma'}")
    assert "Traceback" not in result.stderr
    assert os.path.isfile(home / "chroma")


def test_a_store_a_newer_version_wrote_is_named_and_left_as_it_is(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = ragqa("ingest", str(SEEDS), home=home)
    assert first.returncode == 0, first.stderr
    manifest = home / "chroma" / "articles.manifest.json"
    document = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**document, "format": 99}))
    written = manifest.read_bytes()

    for command in (["stats"], ["ingest", str(SEEDS)], ["ask", "Who is Kim Yo Jong?"]):
        result = ragqa(*command, home=home)
        assert result.returncode == 1, (command, result.stdout)
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"error: {home / 'chroma'} was written by a newer version"), line
        assert "manifest format 99" in line and "upgrade ragqa" in line
    assert manifest.read_bytes() == written
