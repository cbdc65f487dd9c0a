"""``docs/openapi.json`` is the HTTP API's OpenAPI document, exactly as the app generates it."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO
from ui import AssistantPool, create_api

DOCUMENT = REPO / "docs" / "openapi.json"


def generated_document() -> str:
    """The document of the routes alone: no collection is opened to generate it."""
    document = create_api(AssistantPool({}), api_key=None).openapi()
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def test_the_committed_openapi_document_is_the_apps() -> None:
    generated = generated_document()
    committed = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""
    if committed != generated:
        DOCUMENT.write_text(generated, encoding="utf-8")
        pytest.fail(
            "docs/openapi.json was not the API's document; it has been regenerated: "
            "review `git diff docs/openapi.json` and commit it"
        )
