import json
import re
from pathlib import Path

import pytest

from eval import GoldFileError, load_gold

GOOD = {"id": "q1", "question": "Who?", "answers": ["Choe Son Hui"], "article": "a.txt"}
UNANSWERABLE = {"id": "q2", "question": "How old?", "answers": [], "unanswerable": True}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.txt").write_text("Choe Son Hui is the foreign minister.\n")
    (folder / "nested" / "b.md").write_text("# B\n")
    return folder


def write_gold(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    return path


def test_loads_answerable_and_unanswerable_items_keeping_extra_fields(
    tmp_path: Path, corpus: Path
) -> None:
    extra = {**GOOD, "id": "q3", "article": "b.md", "note": "from paragraph 2"}
    path = write_gold(tmp_path, GOOD, "", "   ", UNANSWERABLE, extra)
    items = load_gold(path, corpus)
    assert [i.id for i in items] == ["q1", "q2", "q3"]
    assert items[0].answers == ("Choe Son Hui",) and items[0].article == "a.txt"
    assert items[1].unanswerable and items[1].answers == () and items[1].article is None
    assert items[2].extra == {"note": "from paragraph 2"} and items[2].line == 5


def test_malformed_json_names_file_and_line(tmp_path: Path) -> None:
    path = write_gold(tmp_path, GOOD, UNANSWERABLE, '{"id": "q3", "question": ')
    with pytest.raises(GoldFileError, match="^" + re.escape(f"{path}:3: invalid JSON")):
        load_gold(path)


def test_missing_field_names_file_line_and_field(tmp_path: Path) -> None:
    path = write_gold(tmp_path, GOOD, {"id": "q2", "answers": ["x"], "article": "a.txt"})
    with pytest.raises(GoldFileError) as caught:
        load_gold(path)
    assert str(caught.value) == f"{path}:2: missing field 'question'"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ([1, 2], "expected a JSON object"),
        ({**GOOD, "answers": "Choe"}, "'answers' must be a list of non-empty strings"),
        ({**GOOD, "answers": []}, 'mark the question with "unanswerable": true'),
        ({**UNANSWERABLE, "answers": ["x"]}, "unanswerable question must have"),
        ({**GOOD, "unanswerable": "yes"}, "'unanswerable' must be true or false"),
        ({k: v for k, v in GOOD.items() if k != "article"}, "missing field 'article'"),
        ({**GOOD, "question": "  "}, "'question' must be a non-empty string"),
        ({**GOOD, "id": ""}, "'id' must be a non-empty string"),
    ],
)
def test_invalid_items_are_errors_on_their_line(tmp_path: Path, line: object, message: str) -> None:
    path = write_gold(tmp_path, UNANSWERABLE, line)
    with pytest.raises(GoldFileError) as caught:
        load_gold(path)
    assert str(caught.value).startswith(f"{path}:2: ")
    assert message in str(caught.value)


def test_duplicate_ids_are_an_error(tmp_path: Path) -> None:
    path = write_gold(tmp_path, GOOD, UNANSWERABLE, GOOD)
    with pytest.raises(GoldFileError, match=r":3: duplicate id 'q1' \(first on line 1\)"):
        load_gold(path)


def test_article_missing_from_corpus_is_named(tmp_path: Path, corpus: Path) -> None:
    path = write_gold(tmp_path, GOOD, {**GOOD, "id": "q2", "article": "gone.txt"})
    with pytest.raises(GoldFileError) as caught:
        load_gold(path, corpus)
    assert str(caught.value).startswith(f"{path}:2: article 'gone.txt' is not in the corpus")
    assert str(corpus) in str(caught.value)


def test_missing_files_and_empty_gold_are_errors(tmp_path: Path, corpus: Path) -> None:
    with pytest.raises(GoldFileError, match="gold file not found"):
        load_gold(tmp_path / "nope.jsonl")
    with pytest.raises(GoldFileError, match="no questions"):
        load_gold(write_gold(tmp_path, ""))
    with pytest.raises(GoldFileError, match="corpus folder not found"):
        load_gold(write_gold(tmp_path, GOOD), tmp_path / "no-corpus")


TURN_1 = {"question": "Who is the minister?", "answers": ["Choe Son Hui"], "article": "a.txt"}
TURN_2 = {"question": "How old is she?", "answers": [], "unanswerable": True}
CONVERSATION = {"id": "c1", "turns": [TURN_1, TURN_2], "kind": "pronoun", "note": "n"}


def test_a_conversation_line_gives_one_item_per_turn_in_order(tmp_path: Path, corpus: Path) -> None:
    turn_2 = {**TURN_2, "note": "the turn's own note wins"}
    path = write_gold(tmp_path, GOOD, {**CONVERSATION, "turns": [TURN_1, turn_2]})
    single, first, second = load_gold(path, corpus)
    assert (single.conversation, single.turn) == (None, 0)
    assert [(i.id, i.conversation, i.turn, i.line) for i in (first, second)] == [
        ("c1#1", "c1", 1, 2),
        ("c1#2", "c1", 2, 2),
    ]
    assert first.question == "Who is the minister?" and first.answers == ("Choe Son Hui",)
    assert first.article == "a.txt" and not first.unanswerable
    assert second.unanswerable and second.answers == () and second.article is None
    assert first.extra == {"kind": "pronoun", "note": "n"}
    assert second.extra == {"kind": "pronoun", "note": "the turn's own note wins"}


def test_a_one_turn_conversation_is_allowed(tmp_path: Path) -> None:
    [item] = load_gold(write_gold(tmp_path, {"id": 7, "turns": [TURN_1]}))
    assert (item.id, item.conversation, item.turn) == ("7#1", "7", 1)


@pytest.mark.parametrize(
    ("turn", "message"),
    [
        ({k: v for k, v in TURN_1.items() if k != "answers"}, "missing field 'answers'"),
        ({k: v for k, v in TURN_1.items() if k != "question"}, "missing field 'question'"),
        ({k: v for k, v in TURN_1.items() if k != "article"}, "missing field 'article'"),
        ({**TURN_1, "answers": []}, 'mark the question with "unanswerable": true'),
        ({**TURN_2, "answers": ["x"]}, "unanswerable question must have"),
        ({**TURN_1, "unanswerable": 1}, "'unanswerable' must be true or false"),
        ({**TURN_1, "question": ""}, "'question' must be a non-empty string"),
        ({**TURN_1, "article": 3}, "'article' must be a file name"),
        ({**TURN_1, "id": "mine"}, "field 'id' belongs to the conversation line, not a turn"),
        ({**TURN_1, "turns": []}, "field 'turns' belongs to the conversation line"),
        ("What then?", "expected a JSON object, got str"),
    ],
)
def test_an_invalid_turn_names_file_line_and_turn(
    tmp_path: Path, turn: object, message: str
) -> None:
    path = write_gold(tmp_path, GOOD, {"id": "c1", "turns": [TURN_1, turn]})
    with pytest.raises(GoldFileError) as caught:
        load_gold(path)
    assert str(caught.value).startswith(f"{path}:2: turn 2: ")
    assert message in str(caught.value)


def test_the_turn_in_an_error_is_the_failing_one(tmp_path: Path) -> None:
    path = write_gold(tmp_path, {"id": "c1", "turns": [{"question": "Who?"}, TURN_1]})
    with pytest.raises(GoldFileError) as caught:
        load_gold(path)
    assert str(caught.value) == f"{path}:1: turn 1: missing field 'answers'"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({**CONVERSATION, "question": "Who?"}, "field 'question' goes inside each of 'turns'"),
        ({**CONVERSATION, "answers": ["x"]}, "field 'answers' goes inside each of 'turns'"),
        ({**CONVERSATION, "article": "a.txt"}, "field 'article' goes inside each of 'turns'"),
        ({**CONVERSATION, "turns": []}, "'turns' must be a non-empty list of objects"),
        ({**CONVERSATION, "turns": TURN_1}, "'turns' must be a non-empty list of objects"),
        ({k: v for k, v in CONVERSATION.items() if k != "id"}, "missing field 'id'"),
        ({**CONVERSATION, "id": True}, "'id' must be a non-empty string"),
    ],
)
def test_an_invalid_conversation_line_names_file_and_line(
    tmp_path: Path, line: object, message: str
) -> None:
    path = write_gold(tmp_path, GOOD, line)
    with pytest.raises(GoldFileError) as caught:
        load_gold(path)
    assert str(caught.value).startswith(f"{path}:2: ")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        # a single question named like a conversation, before or after it
        ([{**GOOD, "id": "c1"}, CONVERSATION], ":2: duplicate id 'c1'"),
        ([CONVERSATION, {**GOOD, "id": "c1"}], ":2: duplicate id 'c1'"),
        # a single question named like a turn, before or after it
        ([{**GOOD, "id": "c1#2"}, CONVERSATION], ":2: turn 2: duplicate id 'c1#2'"),
        ([CONVERSATION, {**GOOD, "id": "c1#1"}], ":2: duplicate id 'c1#1'"),
        ([CONVERSATION, CONVERSATION], ":2: duplicate id 'c1'"),
    ],
)
def test_ids_are_unique_over_questions_conversations_and_turns(
    tmp_path: Path, lines: list[object], message: str
) -> None:
    with pytest.raises(GoldFileError) as caught:
        load_gold(write_gold(tmp_path, *lines))
    assert str(caught.value).endswith(f"{message} (first on line 1)")


def test_a_turns_article_missing_from_the_corpus_names_the_turn(
    tmp_path: Path, corpus: Path
) -> None:
    turn = {**TURN_1, "article": "gone.txt"}
    path = write_gold(tmp_path, GOOD, {"id": "c1", "turns": [TURN_1, turn]})
    with pytest.raises(GoldFileError) as caught:
        load_gold(path, corpus)
    assert str(caught.value).startswith(
        f"{path}:2: turn 2: article 'gone.txt' is not in the corpus"
    )
