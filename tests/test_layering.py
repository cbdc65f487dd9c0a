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
