"""Each package exports on purpose: ``__all__`` names exactly its public, importable names."""

import importlib
from types import ModuleType

import pytest


@pytest.mark.parametrize(
    "package", ["qa", "qa.answer", "qa.training", "index", "ui", "eval", "ragqa"]
)
def test_all_lists_exactly_the_public_names(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:  # names a package imports on first use are resolved here
        getattr(module, name)
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert len(set(module.__all__)) == len(module.__all__)
    assert set(module.__all__) == public
