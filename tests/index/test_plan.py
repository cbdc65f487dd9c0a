"""The ingest plan's decisions, on plain articles and manifests (no store, no files)."""

from __future__ import annotations

from index import Article
from index.manifest import Copy, Manifest, ManifestEntry
from index.plan import IngestPlan, plan_ingest


def article(article_id: str, content: str, path: str | None = None) -> Article:
    return Article(
        article_id=article_id,
        title=article_id,
        text=content,
        source_path=path or article_id,
        content_hash=f"hash-{content}",
    )


def stored(article_id: str, content: str, *, path: str | None = None, complete: bool = True):
    return ManifestEntry(
        article_id=article_id,
        title=article_id,
        source_path=path or article_id,
        content_hash=f"hash-{content}",
        chunk_ids=(f"{article_id}-0",),
        complete=complete,
    )


def outcome(plan: IngestPlan) -> dict[str, object]:
    return {
        "added": [w.article.article_id for w in plan.writes if not w.replaces],
        "replaced": [w.article.article_id for w in plan.writes if w.replaces],
        "skipped": list(plan.skipped),
        "deleted": list(plan.deletes),
    }


def test_new_unchanged_changed_and_interrupted_articles() -> None:
    manifest = Manifest([stored("/a", "A"), stored("/b", "B"), stored("/c", "C", complete=False)])
    incoming = [article("/a", "A"), article("/b", "B2"), article("/c", "C"), article("/d", "D")]
    plan = plan_ingest(incoming, manifest)
    assert outcome(plan) == {
        "added": ["/d"],
        "replaced": ["/b", "/c"],
        "skipped": ["/a"],
        "deleted": [],
    }
    assert plan.changing == {"/b", "/c"}


def test_a_copy_read_in_the_same_run_is_skipped_and_names_the_first() -> None:
    plan = plan_ingest([article("/a", "X"), article("/copy-of-a", "X")], Manifest())
    assert outcome(plan)["added"] == ["/a"] and plan.skipped == ("/copy-of-a",)
    (duplicate,) = plan.duplicates
    assert (duplicate.article_id, duplicate.same_as) == ("/copy-of-a", "/a")
    assert plan.copies == (("/a", Copy("/copy-of-a", "/copy-of-a")),)


def test_a_rename_without_prune_is_a_copy_of_the_old_path_and_says_so() -> None:
    manifest = Manifest([stored("/old", "X")])
    plan = plan_ingest([article("/new", "X")], manifest, missing={"/old"})
    assert outcome(plan) == {"added": [], "replaced": [], "skipped": ["/new"], "deleted": []}
    assert "--prune" in plan.duplicates[0].reason


def test_a_rename_with_prune_writes_the_new_path_and_deletes_the_old() -> None:
    manifest = Manifest([stored("/old", "X"), stored("/kept", "K")])
    plan = plan_ingest([article("/new", "X")], manifest, missing={"/old"}, prune=True)
    assert outcome(plan) == {"added": ["/new"], "replaced": [], "skipped": [], "deleted": ["/old"]}


def test_prune_deletes_only_articles_whose_file_is_missing() -> None:
    manifest = Manifest([stored("/gone", "G"), stored("/here", "H")])
    plan = plan_ingest([], manifest, missing={"/gone"}, prune=True)
    assert plan.deletes == ("/gone",)


def test_an_article_this_run_replaces_cannot_hold_copies() -> None:
    """b takes a's old text while a changes: b must be stored with it, not skipped as a copy."""
    manifest = Manifest([stored("/a", "A"), stored("/b", "B")])
    plan = plan_ingest([article("/b", "A"), article("/a", "A2")], manifest)
    assert outcome(plan) == {"added": [], "replaced": ["/b", "/a"], "skipped": [], "deleted": []}


def test_an_article_changed_into_a_copy_of_another_drops_its_stale_version() -> None:
    manifest = Manifest([stored("/a", "A"), stored("/b", "B")])
    plan = plan_ingest([article("/a", "A"), article("/b", "A")], manifest)
    assert outcome(plan) == {
        "added": [],
        "replaced": [],
        "skipped": ["/a", "/b"],
        "deleted": ["/b"],
    }
    assert plan.copies == (("/a", Copy("/b", "/b")),)


def test_the_same_record_in_two_files_is_stored_once_and_remembered() -> None:
    url = "https://news.example/story"
    manifest = Manifest([stored(url, "S", path="/feed1.jsonl")])
    plan = plan_ingest(
        [article(url, "S", "/feed1.jsonl"), article(url, "S", "/feed2.jsonl")], manifest
    )
    assert plan.writes == () and plan.skipped == (url, url)
    assert plan.copies == ((url, Copy(url, "/feed2.jsonl")),)


def test_a_record_whose_file_went_away_is_rewritten_from_the_file_still_holding_it() -> None:
    url = "https://news.example/story"
    manifest = Manifest([stored(url, "S", path="/feed1.jsonl")])
    plan = plan_ingest([article(url, "S", "/feed2.jsonl")], manifest, missing={url}, prune=True)
    assert outcome(plan) == {"added": [], "replaced": [url], "skipped": [], "deleted": []}


def test_every_article_read_is_added_replaced_or_skipped() -> None:
    manifest = Manifest([stored("/a", "A"), stored("/b", "B"), stored("/gone", "G")])
    incoming = [
        article("/a", "A"),
        article("/b", "B2"),
        article("/c", "A"),
        article("/c", "C"),
        article("/d", "G"),
    ]
    plan = plan_ingest(incoming, manifest, missing={"/gone"}, prune=True)
    assert len(plan.writes) + len(plan.skipped) == len(incoming)
    assert outcome(plan) == {
        "added": ["/d"],
        "replaced": ["/b"],
        "skipped": ["/a", "/c", "/c"],
        "deleted": ["/gone"],
    }


def test_a_record_replaced_from_another_file_remembers_the_file_it_came_from() -> None:
    """feed1 still holds its version: if feed2 goes, feed1 must be read again, not lost."""
    url = "https://news.example/story"
    manifest = Manifest([stored(url, "S", path="/feed1.jsonl")])
    plan = plan_ingest([article(url, "S2", "/feed2.jsonl")], manifest)
    assert outcome(plan)["replaced"] == [url]
    assert plan.copies == ((url, Copy(url, "/feed1.jsonl")),)
