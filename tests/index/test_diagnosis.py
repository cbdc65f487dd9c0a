"""The advice a failed store call carries, from the errors SQLite, the OS and httpx raise."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import httpx
import pytest

from index import StoreError
from index.diagnosis import is_damaged, store_hint
from index.manifest import Manifest, write_manifest
from tests.chroma_server import free_port


def _raised(call) -> BaseException:
    try:
        call()
    except BaseException as exc:
        return exc
    raise AssertionError("expected an error")


def _wrapped(cause: BaseException) -> Exception:
    """As Chroma raises it: its own exception, the cause in its chain."""
    try:
        try:
            raise cause
        except BaseException as exc:
            raise RuntimeError("Error in compaction: Failed to apply logs") from exc
    except RuntimeError as outer:
        return outer


def test_a_damaged_database_file(tmp_path: Path) -> None:
    path = tmp_path / "chroma.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    exc = _raised(lambda: sqlite3.connect(path).execute("select * from sqlite_master"))
    assert is_damaged(_wrapped(exc))
    hint = store_hint(_wrapped(exc), folder=tmp_path)
    assert f"the Chroma database in {tmp_path} is damaged" in hint
    assert "'ragqa check --repair'" in hint


def test_a_read_only_database(tmp_path: Path) -> None:
    path = tmp_path / "chroma.sqlite3"
    sqlite3.connect(path).execute("create table t (x)")
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    exc = _raised(lambda: read_only.execute("insert into t values (1)"))
    hint = store_hint(_wrapped(exc), folder=tmp_path)
    assert hint.startswith(f"{tmp_path} cannot be written (read-only")
    assert "--home" in hint
    assert not is_damaged(exc)


def test_a_locked_database(tmp_path: Path) -> None:
    path = tmp_path / "chroma.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("create table t (x)")
    holder.execute("begin exclusive")
    other = sqlite3.connect(path, timeout=0)
    exc = _raised(lambda: other.execute("select * from t"))
    assert "another process is writing to the store" in store_hint(_wrapped(exc), folder=tmp_path)


def test_a_full_disk_by_its_error_number(tmp_path: Path) -> None:
    full = OSError(errno.ENOSPC, "No space left on device")
    hint = store_hint(_wrapped(full), folder=tmp_path)
    assert hint.startswith(f"the disk holding {tmp_path} is full")
    assert "the next ingest finishes the rest" in hint


def test_a_server_that_stopped_answering() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    exc = _raised(lambda: httpx.get(url, timeout=2))
    hint = store_hint(_wrapped(exc), server=url)
    assert hint.startswith(f"the Chroma server at {url} stopped answering")


def test_an_error_nothing_explains_gets_no_hint(tmp_path: Path) -> None:
    unexplained = ValueError("Expected where to have exactly one operator")
    assert store_hint(unexplained, folder=tmp_path) == ""


def test_a_folder_in_the_manifest_s_place_is_named(tmp_path: Path) -> None:
    path = tmp_path / "news.manifest.json"
    path.mkdir()
    with pytest.raises(StoreError) as caught:
        write_manifest(Manifest(), path)
    assert str(caught.value).startswith(f"cannot write the ingest manifest {path}")
    assert "remove the folder in its way (the manifest is rebuilt from Chroma)" in str(caught.value)
