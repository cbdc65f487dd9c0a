"""Uploaded file names cannot leave the upload folder, and only article types are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.uploads import UploadRejected, stage_uploads, upload_name


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/cron.d/job.txt", "job.txt"),
        ("/etc/passwd.md", "passwd.md"),
        ("..\\..\\Windows\\win.ini.html", "win.ini.html"),
        ("C:\\Users\\a\\notes.TXT", "notes.TXT"),
        ("plain.jsonl", "plain.jsonl"),
    ],
)
def test_only_the_last_part_of_a_name_is_kept(given: str, kept: str) -> None:
    assert upload_name(given) == kept


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("evil\x00.txt", "control characters"),
        ("line\nbreak.txt", "control characters"),
        ("../..", "does not start with '.'"),
        (".bashrc", "does not start with '.'"),
        ("", "does not start with '.'"),
    ],
)
def test_names_that_cannot_be_kept_are_refused(given: str, reason: str) -> None:
    with pytest.raises(UploadRejected, match=reason):
        upload_name(given)


def test_staging_copies_articles_and_refuses_other_types_unwritten(tmp_path: Path) -> None:
    sent = tmp_path / "sent"
    sent.mkdir()
    for name in ("story.txt", "tool.exe", ".hidden.md"):
        (sent / name).write_text("The pier reopened.")
    target = tmp_path / "uploads" / "articles"

    staged, refused = stage_uploads(sorted(sent.iterdir()), target)

    assert staged == [target / "story.txt"]
    reasons = {f.path: f.reason for f in refused}
    assert reasons.keys() == {".hidden.md", "tool.exe"}
    assert reasons[".hidden.md"].endswith("needs a name that does not start with '.'")
    assert reasons["tool.exe"].startswith("not an article file; upload .atom .htm .html")
    assert sorted(p.name for p in target.iterdir()) == ["story.txt"]
