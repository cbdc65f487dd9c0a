"""``ragqa serve`` served for real and called with the official ``openai`` client and HTTP.

One server for the module: a temporary data directory with the seed articles ingested,
an API key, and no LLM (``RAGQA_LLM=none``; the default answer path needs none).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

import httpx
import openai
import pytest
from gradio_client import Client

from tests.ui.chat_server import SEEDS, ChatServer, ingest, listening_addresses, start_server
from tests.ui.test_openapi_document import DOCUMENT

pytestmark = pytest.mark.slow

KEY = "test-key-5f1c0a"
AMBASSADOR = "Who is North Korea's ambassador to China?"
SEED_TEXT = {p.resolve().as_posix(): p.read_text() for p in SEEDS.glob("*.txt")}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatServer]:
    home = tmp_path_factory.mktemp("serve-home")
    ingest(home, SEEDS)
    server = start_server(
        "serve",
        home,
        *("--collection", "articles", "--collection", "archive"),  # archive: empty
        env={"RAGQA_API_KEY": KEY, "RAGQA_LLM": "none"},
        ready_path="healthz",
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client(server: ChatServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "v1", api_key=KEY, max_retries=0, timeout=120)


@pytest.fixture(scope="module")
def http(server: ChatServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=120) as http:
        yield http


def _user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def _ask(client: openai.OpenAI, *messages: Any, **fields: Any) -> Any:
    return client.chat.completions.create(model="articles", messages=list(messages), **fields)


def _text(reply: Any) -> str:
    return reply.choices[0].message.content


def test_models_are_the_served_collections(client: openai.OpenAI, http: httpx.Client) -> None:
    assert [model.id for model in client.models.list()] == ["articles", "archive"]
    assert client.models.retrieve("articles").owned_by == "ragqa"
    empty = client.chat.completions.create(model="archive", messages=[_user(AMBASSADOR)])
    assert empty.answerable is False and "No articles have been ingested" in _text(empty)
    assert _found(http, q=AMBASSADOR, collection="archive") == []
    assert http.get("v1/articles", params={"collection": "archive"}).json()["data"] == []


def test_questions_asked_at_once_are_each_answered(client: openai.OpenAI) -> None:
    questions = [AMBASSADOR, "Who is North Korea's foreign minister?"] * 2
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda q: _text(_ask(client, _user(q))), questions))
    assert ["Ri Ryong Nam" in r for r in replies] == [True, False, True, False]
    assert ["Choe Son Hui" in r for r in replies] == [False, True, False, True]


def test_an_answer_carries_citations_to_the_exact_quotes(client: openai.OpenAI) -> None:
    reply = _ask(client, _user(AMBASSADOR))
    text = _text(reply)
    assert "Ri Ryong Nam" in text
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    assert markers and markers == {c["n"] for c in reply.citations}
    for citation in reply.citations:
        assert SEED_TEXT[citation["article_id"]][citation["start"] : citation["end"]] == (
            citation["quote"]
        )
        assert citation["title"] and citation["file_name"].endswith(".txt")
        assert citation["url"] == ""  # the seed files name no address
    assert any("Ri Ryong Nam" in c["quote"] for c in reply.citations)
    assert reply.answerable is True and 0 < reply.confidence <= 1
    assert reply.as_of == ""  # the seed articles are undated
    assert reply.model == "articles" and reply.choices[0].finish_reason == "stop"


def test_a_streamed_answer_is_the_same_text_followed_by_its_citations(
    client: openai.OpenAI,
) -> None:
    whole = _ask(client, _user(AMBASSADOR))
    chunks = list(_ask(client, _user(AMBASSADOR), stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == _text(whole)
    *text_chunks, last = chunks
    assert last.choices[0].finish_reason == "stop"
    assert last.citations == whole.citations and last.citations
    assert (last.answerable, last.confidence, last.as_of) == (
        whole.answerable,
        whole.confidence,
        "",
    )
    assert all(getattr(c, "citations", None) is None for c in text_chunks)


def test_the_raw_stream_sends_the_citations_last_then_done(http: httpx.Client) -> None:
    body = {"model": "articles", "messages": [_user(AMBASSADOR)], "stream": True}
    with http.stream("POST", "v1/chat/completions", json=body) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line[6:] for line in response.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    first, *pieces, citations = (json.loads(e) for e in events[:-1])
    assert first["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert pieces and all("citations" not in p for p in pieces)
    assert "Ri Ryong Nam" in "".join(p["choices"][0]["delta"]["content"] for p in pieces)
    assert citations["choices"][0] == {"index": 0, "delta": {}, "finish_reason": "stop"}
    assert any("Ri Ryong Nam" in c["quote"] for c in citations["citations"])


def test_a_follow_up_is_understood_through_the_message_history(client: openai.OpenAI) -> None:
    follow_up = "What did he say about talks with Japan?"
    reply = _ask(
        client,
        {"role": "system", "content": "Answer from the articles."},
        _user(AMBASSADOR),
        {"role": "assistant", "content": "Ri Ryong Nam [1]."},
        _user(follow_up),
    )
    assert reply.answerable
    assert any("Ri Ryong Nam" in c["quote"] and "reject" in c["quote"] for c in reply.citations)
    # The assistant's reply names who "he" is: the follow-up is asked as if standalone.
    asked_standalone = _ask(client, _user("What did Ri Ryong Nam say about talks with Japan?"))
    assert _text(reply) == _text(asked_standalone)


def test_a_question_the_articles_cannot_answer_is_declined(client: openai.OpenAI) -> None:
    reply = _ask(client, _user("What is the capital of Australia?"))
    assert reply.answerable is False
    assert reply.citations == []
    assert _text(reply).startswith("The articles do not say.")


def test_text_parts_and_unused_openai_fields_are_accepted(client: openai.OpenAI) -> None:
    question = {"type": "text", "text": "Who is North Korea's foreign minister?"}
    reply = _ask(
        client,
        {"role": "user", "content": [question]},
        temperature=0.2,
        top_p=0.9,
        max_tokens=64,
        n=1,
        seed=3,
        user="tester",
    )
    assert "Choe Son Hui" in _text(reply)


def test_the_last_user_message_is_the_question_whatever_follows(client: openai.OpenAI) -> None:
    reply = _ask(
        client,
        _user("Who is North Korea's foreign minister?"),
        {"role": "assistant", "content": "Let me look."},
        {"role": "tool", "content": "{}"},
    )
    assert "Choe Son Hui" in _text(reply)


def test_a_wrong_or_missing_key_is_a_401(server: ChatServer) -> None:
    wrong = openai.OpenAI(base_url=server.url + "v1", api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as caught:
        wrong.models.list()
    assert caught.value.status_code == 401 and caught.value.code == "invalid_api_key"
    with pytest.raises(openai.AuthenticationError):
        wrong.chat.completions.create(model="articles", messages=[_user(AMBASSADOR)])
    missing = httpx.get(server.url + "v1/search", params={"q": "Japan"}, timeout=30)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["error"]["code"] == "invalid_api_key"


def test_health_and_the_openapi_document_need_no_key(server: ChatServer) -> None:
    assert httpx.get(server.url + "healthz", timeout=30).json() == {"status": "ok"}
    served = httpx.get(server.url + "openapi.json", timeout=30).json()
    assert served == json.loads(DOCUMENT.read_text(encoding="utf-8"))
    assert "swagger" not in httpx.get(server.url + "docs", timeout=30).text  # CDN scripts


def test_the_chat_asks_for_the_key_and_shares_the_collection(server: ChatServer) -> None:
    assert httpx.get(server.url + "config", timeout=30).status_code == 401
    chat = Client(server.url, auth=("anyone", KEY), verbose=False)
    reply = chat.predict(AMBASSADOR, api_name="/ask")
    assert "Ri Ryong Nam" in reply and "**Sources**" in reply


def test_an_unknown_model_is_a_404_naming_the_served_ones(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-4o", messages=[_user(AMBASSADOR)])
    assert caught.value.code == "model_not_found" and caught.value.param == "model"
    assert "'articles'" in caught.value.body["message"]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"model": "articles"}, "messages"),
        ({"model": "articles", "messages": []}, "messages"),
        ({"model": "articles", "messages": [{"role": "assistant", "content": "Hi"}]}, "messages"),
        ({"model": "articles", "messages": [_user("   ")]}, "messages"),
        (
            {"model": "articles", "messages": [{"role": "wizard", "content": "Hi"}]},
            "messages.0.role",
        ),
        ({"messages": [_user(AMBASSADOR)]}, "model"),
        ({"model": "articles", "messages": [_user(AMBASSADOR)], "stream": "often"}, "stream"),
    ],
)
def test_a_malformed_body_is_a_400_naming_the_field(
    http: httpx.Client, body: dict[str, Any], param: str
) -> None:
    response = http.post("v1/chat/completions", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["param"], error["type"]) == (param, "invalid_request_error")
    assert error["message"].startswith(f"{param}: ")


def test_other_methods_and_paths_under_v1_get_api_errors(http: httpx.Client) -> None:
    wrong_method = http.put("v1/chat/completions", json={})
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "POST"
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"
    unknown = http.post("v1/embeddings", json={"model": "articles", "input": "Japan"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_url"
    wrong_health = http.post("healthz")
    assert wrong_health.status_code == 405 and wrong_health.headers["allow"] == "GET"


def test_a_body_that_is_not_json_is_a_400(http: httpx.Client) -> None:
    response = http.post(
        "v1/chat/completions", content=b"{model: ", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("The request body is not valid JSON")


FERRY = (
    "Lakeside ferry service names a new chief captain\n\n"
    "The Lakeside Ferry Service appointed Marta Ellingsen as its chief captain on Monday, "
    "after twelve years of piloting the night crossing. Ellingsen replaces Tomas Berg, "
    "who retired in May.\n"
)


def test_an_uploaded_article_is_answered_listed_and_deleted(
    client: openai.OpenAI, http: httpx.Client
) -> None:
    upload = [("files", ("ferry-captain.txt", FERRY.encode(), "text/plain"))]
    response = http.post("v1/articles", files=upload)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["failed"] == [] and len(report["added"]) == 1
    (article_id,) = report["added"]
    assert article_id.endswith("/uploads/articles/ferry-captain.txt")  # the default collection

    reply = _ask(client, _user("Who did the Lakeside Ferry Service appoint as chief captain?"))
    assert "Marta Ellingsen" in _text(reply)
    assert {c["article_id"] for c in reply.citations} == {article_id}
    listed = http.get("v1/articles").json()
    assert listed["object"] == "list"
    assert article_id in {a["article_id"] for a in listed["data"]}

    deleted = http.delete(f"v1/articles/{quote(article_id, safe='')}")
    assert deleted.json() == {"id": article_id, "object": "article", "deleted": True}
    assert article_id not in {a["article_id"] for a in http.get("v1/articles").json()["data"]}
    again = http.delete(f"v1/articles/{quote(article_id, safe='')}")
    assert again.status_code == 404 and again.json()["error"]["param"] == "article_id"


def test_a_bad_upload_is_explained(http: httpx.Client) -> None:
    unreadable = http.post("v1/articles", files=[("files", ("notes.xyz", b"?", "text/plain"))])
    assert unreadable.status_code == 200
    (failure,) = unreadable.json()["failed"]
    assert failure["path"].endswith("notes.xyz") and failure["reason"]
    no_files = http.post("v1/articles", files=[("other", ("a.txt", b"text", "text/plain"))])
    assert no_files.status_code == 400 and no_files.json()["error"]["param"] == "files"
    plain = http.post("v1/articles", content=b"text", headers={"content-type": "text/plain"})
    assert plain.status_code == 415
    misspelt = http.post("v1/articles", json={"articles": [{"body": "Text."}]})
    assert misspelt.status_code == 400
    assert misspelt.json()["error"]["param"] in ("articles.0.text", "articles.0.body")
    empty = http.post("v1/articles", json={"articles": []})
    assert empty.status_code == 400 and empty.json()["error"]["param"] == "articles"



@pytest.mark.parametrize(
    "name", ["../../escape.txt", "/tmp/absolute.txt", "..\\..\\escape.txt"]
)
def test_an_uploaded_name_cannot_leave_the_upload_folder(
    http: httpx.Client, server: ChatServer, name: str
) -> None:
    response = http.post(
        "v1/articles", files=[("files", (name, b"The pier reopened on Sunday.", "text/plain"))]
    )
    assert response.status_code == 200, response.text
    (added,) = response.json()["added"]
    kept = server.log.parent / "uploads" / "articles" / PurePosixPath(name.replace("\\", "/")).name
    assert added == kept.resolve().as_posix() and kept.is_file()
    assert not (server.log.parent.parent / "escape.txt").exists()
    assert http.delete(f"v1/articles/{quote(added, safe='')}").status_code == 200


def test_hidden_names_control_characters_and_large_files_are_refused(http: httpx.Client) -> None:
    hidden = http.post("v1/articles", files=[("files", (".env.txt", b"text", "text/plain"))])
    assert hidden.status_code == 400
    assert "does not start with '.'" in hidden.json()["error"]["message"]
    # By hand: httpx would percent-encode the NUL in the file name.
    body = (
        b'--b0undary\r\nContent-Disposition: form-data; name="files"; filename="a\x00b.txt"'
        b"\r\nContent-Type: text/plain\r\n\r\ntext\r\n--b0undary--\r\n"
    )
    nul = http.post(
        "v1/articles",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=b0undary"},
    )
    assert nul.status_code == 400, nul.text
    assert "control characters" in nul.json()["error"]["message"]
    large = b"word " * (51 * 1024 * 1024 // 5)
    response = http.post("v1/articles", files=[("files", ("large.txt", large, "text/plain"))])
    assert response.status_code == 413
    message = response.json()["error"]["message"]
    assert message.startswith("files: large.txt is 53.5 MB") and "max_file_mb" in message


DREDGING_URL = "https://gazette.example/dredging"
RECORDS = {
    "articles": [
        {
            "title": "Harbour board approves night dredging",
            "text": "The Port Keswin harbour board approved night dredging of the outer "
            "channel on Thursday. The work will deepen the channel to fourteen metres.",
            "source": "Keswin Gazette",
            "published": "2024-05-02",
            "url": DREDGING_URL,
        }
    ]
}


def _found(http: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = http.get("v1/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_json_records_are_ingested_and_searched_with_filters(http: httpx.Client) -> None:
    report = http.post("v1/articles", json=RECORDS).json()
    assert report["added"] == [DREDGING_URL]
    assert http.post("v1/articles", json=RECORDS).json()["skipped"] == [DREDGING_URL]
    try:
        best = _found(http, q="night dredging of the outer channel", k=2)
        assert [p["n"] for p in best] == [1, 2]
        assert best[0]["article_id"] == DREDGING_URL and best[0]["source"] == "Keswin Gazette"
        assert "Ri Ryong Nam" in _found(http, q=AMBASSADOR, k=1)[0]["text"]
        only_gazette = _found(http, q=AMBASSADOR, source="Keswin Gazette")
        assert only_gazette and {p["article_id"] for p in only_gazette} == {DREDGING_URL}
        may = _found(http, q="dredging", since="2024-05-01", until="2024-05-31")
        assert may and {p["published"] for p in may} == {"2024-05-02"}
        assert _found(http, q="dredging", until="2024-05-01") == []
    finally:
        http.delete(f"v1/articles/{quote(DREDGING_URL, safe='')}")


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({}, "q"),
        ({"q": "Japan", "k": 0}, "k"),
        ({"q": "Japan", "k": "many"}, "k"),
        ({"q": "Japan", "since": "May 2024"}, "since"),
        ({"q": "Japan", "until": "1.5e-46"}, "until"),  # not read as a Unix time
        ({"q": "Japan", "sources": "Kyodo"}, "sources"),  # misspelt: refused, not ignored
        ({"q": "  "}, "q"),
        ({"q": "Japan", "collection": "nowhere"}, "collection"),
    ],
)
def test_bad_search_parameters_are_named(
    http: httpx.Client, params: dict[str, Any], param: str
) -> None:
    response = http.get("v1/search", params=params)
    assert response.status_code in (400, 404)
    assert response.json()["error"]["param"] == param


def test_a_reversed_date_range_is_explained(http: httpx.Client) -> None:
    reversed_range = {"q": "Japan", "since": "2024-06-01", "until": "2024-05-01"}
    response = http.get("v1/search", params=reversed_range)
    assert response.status_code == 400
    assert "since 2024-06-01 is after until 2024-05-01" in response.json()["error"]["message"]


def test_the_server_listens_on_loopback_only(server: ChatServer) -> None:
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    assert listening_addresses(port) == {"127.0.0.1"}
