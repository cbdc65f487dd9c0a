"""Each package imports only the packages beneath it: the library never depends on its clients.

``index`` is at the bottom, ``qa`` uses it, ``ui`` and ``eval`` are clients of ``qa``, and
``ragqa`` (the command line) assembles the commands of all three. Read statically, so an
import inside a function counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

MAY_IMPORT = {
    "index": set(),
    "qa": {"index"},
    "ui": {"qa"},
    "eval": {"qa"},
    "ragqa": {"qa", "ui", "eval"},
}


def _imported_packages(path: Path) -> set[str]:
    """The project packages ``path`` imports, by absolute import statements."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(MAY_IMPORT)


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_a_package_imports_only_the_packages_beneath_it(package: str) -> None:
    modules = sorted((REPO / package).rglob("*.py"))
    assert modules
    wrong = {
        path.relative_to(REPO).as_posix(): sorted(imported - MAY_IMPORT[package] - {package})
        for path in modules
        if (imported := _imported_packages(path)) - MAY_IMPORT[package] - {package}
    }
    assert wrong == {}


def _chroma_uses(path: Path) -> list[str]:
    """Imports of chromadb (or llama-index's Chroma store) and reads of ``.vector_store``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [f"import {n}" for n in names if n.split(".")[0] == "chromadb" or "chroma" in n]
        if isinstance(node, ast.Attribute) and node.attr == "vector_store":
            found.append(f"line {node.lineno}: .vector_store")
    return found


def test_only_index_talks_to_chroma() -> None:
    """qa, ui and eval reach Chroma only through ``index.ArticleStore``, embedded or server."""
    uses = {
        path.relative_to(REPO).as_posix(): found
        for package in ("qa", "ui", "eval", "ragqa")
        for path in sorted((REPO / package).rglob("*.py"))
        if (found := _chroma_uses(path))
    }
    assert uses == {}


def test_the_chroma_check_sees_an_import_and_a_vector_store_read(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("import chromadb\nfrom x import y\nstore.vector_store.client.get()\n")
    assert _chroma_uses(module) == ["import chromadb", "line 3: .vector_store"]
