import re
import shutil
from pathlib import Path

from eval.cache import corpus_fingerprint, eval_collection


def make_corpus(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("alpha")
    (root / "sub" / "b.txt").write_text("beta")
    return root


def fingerprint(corpus: Path, size: int = 160, overlap: int = 32) -> str:
    return corpus_fingerprint(corpus, chunk_size=size, chunk_overlap=overlap)


def test_fingerprint_is_stable_and_follows_names_bytes_and_chunking(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    first = fingerprint(corpus)
    assert fingerprint(corpus) == first and len(first) == 64
    assert fingerprint(corpus, size=128) != first
    assert fingerprint(corpus, overlap=0) != first

    (corpus / "a.txt").write_text("alpha!")
    changed = fingerprint(corpus)
    assert changed != first
    (corpus / "a.txt").rename(corpus / "c.txt")
    assert fingerprint(corpus) != changed


def test_fingerprint_differs_for_a_copy_elsewhere(tmp_path: Path) -> None:
    """Article ids are resolved paths, so a copy's store would hold both copies."""
    corpus = make_corpus(tmp_path / "one")
    copy = shutil.copytree(corpus, tmp_path / "two")
    assert fingerprint(corpus) != fingerprint(copy)


def test_eval_collection_is_a_valid_chroma_name_from_the_fingerprint(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    name = eval_collection(corpus, chunk_size=160, chunk_overlap=32)
    assert name == "eval-" + fingerprint(corpus)[:32]
    assert re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]", name)
