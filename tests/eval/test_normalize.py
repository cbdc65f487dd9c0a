import pytest

from eval.normalize import (
    contains_answer,
    content_words,
    count_words,
    exact_match,
    markers_in,
    normalize_answer,
    split_sentences,
    strip_markers,
    token_f1,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Workers' Party of Korea!", "workers party of korea"),
        ("  A   day\tafter  ", "day after"),
        ("An apple, the pear and a plum.", "apple pear and plum"),
        ("Workers’ Party — “KCNA”", "workers party kcna"),  # Unicode punctuation too
        ("theory another", "theory another"),  # articles only as whole words
    ],
)
def test_normalize_answer_is_squad_normalisation(text: str, expected: str) -> None:
    assert normalize_answer(text) == expected


def test_strip_markers_removes_single_and_grouped_markers() -> None:
    assert strip_markers("Choe Son Hui [1]. Kishida [2, 3] spoke [10].") == (
        "Choe Son Hui. Kishida spoke."
    )


def test_markers_in_collects_every_cited_number() -> None:
    assert markers_in("A [1]. B [2, 3]. C [1].") == {1, 2, 3}
    assert markers_in("no markers, [x] or [] here") == frozenset()


def test_contains_answer_respects_word_boundaries() -> None:
    assert contains_answer("The official Korean Central News Agency said", "korean central news")
    assert contains_answer("It was the KCNA.", "KCNA")
    assert not contains_answer("about 100 people", "10")
    assert not contains_answer("anything", "the")  # normalises to nothing


def test_exact_match_and_token_f1() -> None:
    assert exact_match("Choe Son Hui [1].", "choe son hui") == 0.0  # markers are not stripped here
    assert exact_match("Choe Son Hui.", "choe son hui") == 1.0
    # prediction: foreign minister is choe son hui (6 tokens); gold: 3 tokens, all shared.
    assert token_f1("The foreign minister is Choe Son Hui.", "Choe Son Hui") == pytest.approx(2 / 3)
    assert token_f1("Tuesday", "Monday") == 0.0
    assert token_f1("the", "a") == 1.0  # both empty after normalisation


def test_content_words_drop_stop_words_markers_and_case() -> None:
    assert content_words("North Korea’s foreign minister is Choe [1].") == {
        "north",
        "korea",
        "foreign",
        "minister",
        "choe",
    }


def test_count_words_ignores_markers_and_punctuation() -> None:
    assert count_words("Choe Son Hui [1].") == 3
    assert count_words("Workers' Party of Korea [1, 2] .") == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Choe Son Hui [1]. Kishida spoke [2].", ["Choe Son Hui [1].", "Kishida spoke [2]."]),
        ("Mr. Abe met U.S. aides [1]. Go [2].", ["Mr. Abe met U.S. aides [1].", "Go [2]."]),
        ("Paris is big. [1] Rome too [2].", ["Paris is big. [1]", "Rome too [2]."]),
        ("It said [1] that talks failed [2].", ["It said [1] that talks failed [2]."]),
        ('Kim said "no." [1] Then [2]', ['Kim said "no." [1]', "Then [2]"]),
        ("One [1]\nTwo [2]", ["One [1]", "Two [2]"]),
        ("Unmarked claim. Marked claim [1].", ["Unmarked claim.", "Marked claim [1]."]),
        ("", []),
    ],
)
def test_split_sentences_keeps_markers_with_their_sentence(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
