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
