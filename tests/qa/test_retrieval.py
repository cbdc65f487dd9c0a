"""Hybrid retrieval, the BM25 index's bond with Chroma, and metadata filters.

Real MiniLM, real Chroma on disk, real bm25s; the CLI runs in subprocesses.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from index import Embedder
from qa import Assistant, Passage, QAError, RetrievalFilters, Settings
from qa.retrieval import Retriever, merge_filters, reciprocal_rank_fusion
from tests.polling import eventually
from tests.qa.test_commands import ragqa

# ---------------------------------------------------------------- fusion, unit level


def test_rrf_sums_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=60)
    # a: 1/61 + 1/62, c: 1/63 + 1/61, b: 1/62, d: 1/63
    assert fused == ["a", "c", "b", "d"]


def test_rrf_k_decides_between_one_top_rank_and_two_middling_ones() -> None:
    rankings = [["top", "x", "y", "both"], ["p", "q", "r", "both"]]
    assert reciprocal_rank_fusion(rankings, k=1)[0] == "top"  # 1/2 beats 1/5 + 1/5
    assert reciprocal_rank_fusion(rankings, k=60)[0] == "both"  # 2/64 beats 1/61


def test_rrf_ties_go_to_the_first_ranking() -> None:
    assert reciprocal_rank_fusion([["dense"], ["lexical"]]) == ["dense", "lexical"]


def test_a_questions_filters_override_the_defaults_field_by_field() -> None:
    defaults = RetrievalFilters(sources=("Reuters",), since=date(2024, 1, 1))
    given = RetrievalFilters(since=date(2024, 6, 1))
    assert merge_filters(defaults, given) == RetrievalFilters(
        sources=("Reuters",), since=date(2024, 6, 1)
    )


# ---------------------------------------------------------------- helpers

REPORTS = {
    "budget": "Council publishes its budget report\n\nThe council published a report on its "
    "budget. The report was written by a committee of finance officers. It was presented to "
    "councillors on Monday.",
    "schools": "Inspectors report on city schools\n\nA report written by school inspectors "
    "praised the city's primary schools. The inspectors visited forty schools. The report was "
    "published on Friday.",
    "transport": "Transport report calls for more buses\n\nThe transport report, written by an "
    "independent panel, calls for more buses. The panel's authors interviewed commuters. The "
    "report was released this week.",
    "health": "Hospital report finds long waits\n\nA report by the health watchdog found long "
    "waits in emergency rooms. Its authors wrote that staffing was the main cause. The report "
    "will be debated in parliament.",
    "housing": "Housing report warns of shortage\n\nThe housing report warns of a shortage of "
    "homes. It was written by researchers at the university. The authors recommend building "
    "on brownfield land.",
    "fisheries": "North Sea cod stocks fall again\n\nCod numbers in the North Sea fell for a "
    "third year. Oyelaran Thistlewood, who led the survey, blamed warmer water. Trawler crews "
    "said catches were the lowest they remember.",
}


def _write(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text)
    return folder


def _assistant(settings: Settings, embedder: Embedder, **changes: object) -> Assistant:
    return Assistant(settings.model_copy(update={"llm": "none", **changes}), embedder=embedder)


def _retrieve(assistant: Assistant, question: str, k: int, **filters: object) -> list[Passage]:
    retriever = Retriever.from_settings(assistant.settings, assistant.store, assistant.embedder)
    return retriever.retrieve(question, k, RetrievalFilters(**filters))


def _files(assistant: Assistant, question: str, k: int = 5) -> list[str]:
    passages = _retrieve(assistant, question, k)
    assert [p.n for p in passages] == list(range(1, len(passages) + 1))
    return [p.file_name for p in passages]


def _bm25_folder(settings: Settings) -> Path:
    return settings.store_dir / f"{settings.collection}.bm25"


# ---------------------------------------------------------------- hybrid vs dense


def test_hybrid_finds_a_rare_name_that_dense_retrieval_misses(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    corpus = _write(tmp_path / "reports", REPORTS)
    dense = _assistant(settings, embedder, retrieval="dense", rerank=False)
    dense.ingest([corpus])
    hybrid = _assistant(settings, embedder, retrieval="hybrid", rerank=False)
    question = "Which report did Oyelaran Thistlewood write?"
    # Every other article is about who wrote a report; only BM25 sees the name.
    assert "fisheries.txt" not in _files(dense, question, k=2)
    assert "fisheries.txt" in _files(hybrid, question, k=2)
    answer = hybrid.ask(question, top_k=2)
    assert "fisheries.txt" in {p.file_name for p in answer.passages}


def test_rerank_lifts_the_chunk_whose_sentence_holds_the_question_words(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    corpus = _write(tmp_path / "reports", REPORTS)
    plain = _assistant(settings, embedder, retrieval="dense", rerank=False)
    plain.ingest([corpus])
    reranked = _assistant(settings, embedder, retrieval="dense", rerank=True)
    question = "Which report did Oyelaran Thistlewood write?"
    assert _files(plain, question, k=6).index("fisheries.txt") > 1
    assert _files(reranked, question, k=6)[0] == "fisheries.txt"


def test_hybrid_scores_are_cosine_similarities_even_for_bm25_only_hits(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    hybrid = _assistant(settings, embedder, retrieval="hybrid")
    hybrid.ingest([_write(tmp_path / "reports", REPORTS)])
    dense = _assistant(settings, embedder, retrieval="dense")
    question = "Which report did Oyelaran Thistlewood write?"
    by_dense = {p.chunk_id: p.score for p in dense.ask(question, top_k=6).passages}
    for passage in hybrid.ask(question, top_k=3).passages:
        assert passage.score == pytest.approx(by_dense[passage.chunk_id], abs=1e-4)


# ---------------------------------------------------------------- BM25 kept in step

ALPHA = "Quillfeather mill reopens\n\nThe Quillfeather paper mill reopened with ninety workers."
BETA = "Harbour dredging begins\n\nDredging of the Brightwater channel began on Tuesday."


def _bm25_files(assistant: Assistant, question: str) -> list[str]:
    return [p.file_name for p in assistant.ask(question).passages]


def test_bm25_follows_add_replace_and_delete(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    corpus = _write(tmp_path / "news", {"alpha": ALPHA, "beta": BETA})
    assistant = _assistant(settings, embedder, retrieval="bm25")
    assistant.ingest([corpus])
    assert _bm25_files(assistant, "Quillfeather") == ["alpha.txt"]

    (corpus / "alpha.txt").write_text(ALPHA.replace("Quillfeather", "Larkspur"))
    assert assistant.ingest([corpus]).replaced
    assert _bm25_files(assistant, "Quillfeather") == []
    assert _bm25_files(assistant, "Larkspur") == ["alpha.txt"]

    assistant.delete_article((corpus / "alpha.txt").resolve().as_posix())
    assert _bm25_files(assistant, "Larkspur") == []
    assert _bm25_files(assistant, "Brightwater") == ["beta.txt"]


def test_bm25_sees_what_another_process_ingested_and_deleted(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    chat_server = _assistant(settings, embedder, retrieval="bm25")
    assert _bm25_files(chat_server, "Brightwater") == []  # built while empty
    cli = _assistant(settings, embedder, retrieval="dense")
    cli.ingest([_write(tmp_path / "news", {"alpha": ALPHA, "beta": BETA})])
    # The catch-up runs off the question path: new text arrives once it ends.
    assert _eventually_bm25_files(chat_server, "Brightwater") == ["beta.txt"]
    # A write that never reached any lexical refresh, as after a crash mid-ingest:
    # deleted text is never returned, not even by the question that finds the change.
    cli.store.delete_article((tmp_path / "news" / "beta.txt").resolve().as_posix())
    assert _bm25_files(chat_server, "Brightwater") == []
    assert _eventually_bm25_files(chat_server, "Quillfeather") == ["alpha.txt"]


def _eventually_bm25_files(assistant: Assistant, question: str) -> list[str]:
    """What BM25 finds once it has caught up with the store."""
    return eventually(lambda: _bm25_files(assistant, question))


def test_a_deleted_or_damaged_bm25_folder_is_rebuilt(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    corpus = _write(tmp_path / "news", {"alpha": ALPHA, "beta": BETA})
    _assistant(settings, embedder, retrieval="bm25").ingest([corpus])
    folder = _bm25_folder(settings)
    assert (folder / "CURRENT").is_file()

    shutil.rmtree(folder)
    assert _bm25_files(_assistant(settings, embedder, retrieval="bm25"), "Quillfeather") == [
        "alpha.txt"
    ]
    assert (folder / "CURRENT").is_file()

    build = folder / (folder / "CURRENT").read_text()
    (build / "chunks.json").write_text("{not json")
    assert _bm25_files(_assistant(settings, embedder, retrieval="bm25"), "Quillfeather") == [
        "alpha.txt"
    ]
    assert json.loads((build / "chunks.json").read_text())["chunks"]


def test_a_bm25_folder_left_from_an_older_collection_is_rebuilt(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    corpus = _write(tmp_path / "news", {"alpha": ALPHA})
    _assistant(settings, embedder, retrieval="bm25").ingest([corpus])
    old = tmp_path / "old.bm25"
    shutil.copytree(_bm25_folder(settings), old)
    _write(corpus, {"beta": BETA})
    _assistant(settings, embedder, retrieval="bm25").ingest([corpus])
    shutil.rmtree(_bm25_folder(settings))
    shutil.copytree(old, _bm25_folder(settings))  # e.g. restored from a backup

    assert _bm25_files(_assistant(settings, embedder, retrieval="bm25"), "Brightwater") == [
        "beta.txt"
    ]


# ---------------------------------------------------------------- filters

RECORDS = [
    {
        "title": "Mill strike enters second week",
        "body": "Workers at the paper mill stayed on strike over pay and shifts.",
        "source": "Daily Ledger",
        "url": "https://ledger.example/mill-strike",
        "published": "2024-01-10",
    },
    {
        "title": "Mill owners offer new pay deal",
        "body": "The paper mill's owners offered workers a new pay deal to end the strike.",
        "source": "Evening Post",
        "url": "https://post.example/mill-pay",
        "published": "2024-02-20",
    },
    {
        "title": "Mill strike ends after vote",
        "body": "Paper mill workers voted to accept the pay deal and end their strike.",
        "source": "Daily Ledger",
        "url": "https://ledger.example/mill-vote",
        "published": "2024-03-05",
    },
]
UNDATED = "Mill strike explained\n\nWhy the paper mill workers went on strike over pay."
QUESTION = "What happened in the paper mill strike over pay?"


@pytest.fixture
def mill_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "mill"
    folder.mkdir()
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n")
    (folder / "explainer.txt").write_text(UNDATED)
    return folder


@pytest.fixture
def mill(settings: Settings, embedder: Embedder, mill_corpus: Path) -> Settings:
    _assistant(settings, embedder, retrieval="dense").ingest([mill_corpus])
    return settings


def _titles(settings: Settings, embedder: Embedder, mode: str, **filters: object) -> set[str]:
    passages = _retrieve(_assistant(settings, embedder, retrieval=mode), QUESTION, 10, **filters)
    return {p.title for p in passages}


MODES = ["dense", "bm25", "hybrid"]


@pytest.mark.parametrize("mode", MODES)
def test_without_filters_every_article_is_found(
    mill: Settings, embedder: Embedder, mode: str
) -> None:
    assert _titles(mill, embedder, mode) == {r["title"] for r in RECORDS} | {
        "Mill strike explained"
    }


@pytest.mark.parametrize("mode", MODES)
def test_source_filter(mill: Settings, embedder: Embedder, mode: str) -> None:
    assert _titles(mill, embedder, mode, sources=("Daily Ledger",)) == {
        "Mill strike enters second week",
        "Mill strike ends after vote",
    }


@pytest.mark.parametrize("mode", MODES)
def test_date_filters_are_inclusive_and_leave_out_undated_articles(
    mill: Settings, embedder: Embedder, mode: str
) -> None:
    between = {"since": date(2024, 1, 10), "until": date(2024, 2, 20)}
    assert _titles(mill, embedder, mode, **between) == {
        "Mill strike enters second week",
        "Mill owners offer new pay deal",
    }
    assert _titles(mill, embedder, mode, until=date(2024, 1, 10)) == {
        "Mill strike enters second week"
    }
    assert _titles(mill, embedder, mode, since=date(2024, 3, 5)) == {"Mill strike ends after vote"}
    assert _titles(mill, embedder, mode, since=date(2024, 3, 6)) == set()


@pytest.mark.parametrize("mode", MODES)
def test_article_filter(mill: Settings, embedder: Embedder, mill_corpus: Path, mode: str) -> None:
    explainer = (mill_corpus / "explainer.txt").resolve().as_posix()
    assert _titles(mill, embedder, mode, article_ids=(explainer,)) == {"Mill strike explained"}


def test_filters_combine_and_passages_carry_source_url_and_date(
    mill: Settings, embedder: Embedder
) -> None:
    assistant = _assistant(mill, embedder)
    answer = assistant.ask(
        QUESTION, filters=RetrievalFilters(sources=("Daily Ledger",), since=date(2024, 2, 1))
    )
    assert {(p.source, p.url, p.published) for p in answer.passages} == {
        ("Daily Ledger", "https://ledger.example/mill-vote", "2024-03-05")
    }


def test_default_filters_come_from_settings_and_a_question_can_override_them(
    mill: Settings, embedder: Embedder
) -> None:
    assistant = _assistant(mill, embedder, filter_sources=("Evening Post",))
    assert {p.source for p in assistant.ask(QUESTION).passages} == {"Evening Post"}
    overridden = assistant.ask(QUESTION, filters=RetrievalFilters(sources=("Daily Ledger",)))
    assert {p.source for p in overridden.passages} == {"Daily Ledger"}


def test_an_inverted_date_range_is_a_clear_error(mill: Settings, embedder: Embedder) -> None:
    assistant = _assistant(mill, embedder)
    with pytest.raises(QAError, match="since 2024-03-01 is after until 2024-02-01"):
        assistant.ask(
            QUESTION, filters=RetrievalFilters(since=date(2024, 3, 1), until=date(2024, 2, 1))
        )


# ---------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("retrieval-cli")
    corpus = home / "mill"
    corpus.mkdir()
    (corpus / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n")
    (corpus / "explainer.txt").write_text(UNDATED)
    result = ragqa("ingest", str(corpus), home=home)
    assert result.returncode == 0, result.stderr
    return home


def _cli_titles(home: Path, *flags: str) -> set[str]:
    result = ragqa("ask", QUESTION, "--json", "--llm", "none", "-k", "10", *flags, home=home)
    assert result.returncode == 0, result.stderr
    return {p["title"] for p in json.loads(result.stdout)["passages"]}


def test_cli_source_and_date_flags_restrict_the_passages(cli_home: Path) -> None:
    titles = _cli_titles(
        cli_home, "--source", "Daily Ledger", "--source", "Evening Post", "--until", "2024-02-20"
    )
    assert titles == {"Mill strike enters second week", "Mill owners offer new pay deal"}
    assert _cli_titles(cli_home, "--since", "2024-03-01") == {"Mill strike ends after vote"}


def test_cli_article_flag_takes_a_file_name(cli_home: Path) -> None:
    assert _cli_titles(cli_home, "--article", "explainer.txt") == {"Mill strike explained"}


def test_cli_unknown_article_is_an_error_naming_the_option(cli_home: Path) -> None:
    result = ragqa("ask", QUESTION, "--llm", "none", "--article", "nowhere.txt", home=cli_home)
    assert result.returncode == 2
    assert "'--article'" in result.stderr and "nowhere.txt" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("flag", ["--since", "--until"])
def test_cli_bad_date_is_an_error_naming_the_option(cli_home: Path, flag: str) -> None:
    result = ragqa("ask", QUESTION, "--llm", "none", flag, "2024-13-01", home=cli_home)
    assert result.returncode == 2
    assert f"'{flag}'" in result.stderr and "2024-13-01" in result.stderr
    assert "Traceback" not in result.stderr
