from types import ModuleType

import eval


def test_all_lists_exactly_the_public_names() -> None:
    """Order is ruff's job (RUF022); this keeps ``__all__`` and the imports in step."""
    public = {
        name
        for name, value in vars(eval).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert len(eval.__all__) == len(set(eval.__all__))
    assert set(eval.__all__) == public


def test_every_exported_name_imports() -> None:
    namespace: dict[str, object] = {}
    exec("from eval import *", namespace)
    assert set(eval.__all__) <= set(namespace)
