"""schemathesis against a real ``ragqa serve``: requests generated from its OpenAPI
document, valid and invalid, for every operation, each response checked against it.

The document is read from ``docs/openapi.json`` when the tests are collected (the server
starts later; schemathesis's lazy ``from_fixture`` fails under pytest 9, which has no
``Function._nodeid``), and the server is checked to serve exactly that document. A server of
its own, since generated uploads and deletions change its collection. Bounded (a few
dozen examples per operation, no deadline).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.ui.chat_server import SEEDS, ChatServer, ingest, start_server
from tests.ui.test_openapi_document import DOCUMENT

pytestmark = pytest.mark.slow

KEY = "schema-key-93d2"


@pytest.fixture(scope="module")
def schema_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatServer]:
    home = tmp_path_factory.mktemp("schema-home")
    ingest(home, SEEDS)
    server = start_server(
        "serve", home, env={"RAGQA_API_KEY": KEY, "RAGQA_LLM": "none"}, ready_path="healthz"
    )
    yield server
    server.stop()


CONFIG = {
    # The key through schemathesis's own auth, so it knows when a request lacks it.
    "auth": {"openapi": {"HTTPBearer": {"bearer": KEY}}},
    "operations": [
        {
            # JSON Schema cannot say that since comes before until: a request valid by the
            # document may still be a 400 for a reversed date range.
            "include-path": "/v1/search",
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "400", "401", "404"]
                }
            },
        }
    ],
}
document = schemathesis.openapi.from_path(DOCUMENT, config=schemathesis.Config.from_dict(CONFIG))


def test_the_server_serves_the_document_under_test(schema_server: ChatServer) -> None:
    served = httpx.get(schema_server.url + "openapi.json", timeout=30).json()
    assert served == json.loads(DOCUMENT.read_text(encoding="utf-8"))


@document.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_get_documented_answers_and_never_a_server_error(
    case: schemathesis.Case, schema_server: ChatServer
) -> None:
    case.call_and_validate(base_url=schema_server.url.rstrip("/"), timeout=120)
