from datetime import date
from pathlib import Path

import pytest

from qa import RetrievalFilters, Settings, SettingsError


def test_precedence_is_defaults_toml_env_then_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env().top_k == 5
    (tmp_path / "ragqa.toml").write_text('top_k = 7\ncollection = "from-toml"\n')
    assert Settings.from_env().top_k == 7
    monkeypatch.setenv("RAGQA_TOP_K", "9")
    settings = Settings.from_env()
    assert (settings.top_k, settings.collection) == (9, "from-toml")
    assert Settings.from_env(top_k=3, collection=None).top_k == 3


def test_invalid_values_name_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAGQA_LLM", "gpt-99")
    with pytest.raises(SettingsError, match="llm"):
        Settings.from_env()


def test_home_moves_every_piece_of_state(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert settings.store_dir.parent == tmp_path
    assert settings.models_dir.parent == tmp_path


def test_retrieval_settings_default_to_hybrid_and_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings.from_env()
    assert (settings.retrieval, settings.rrf_k, settings.rerank) == ("hybrid", 60, True)
    monkeypatch.setenv("RAGQA_RETRIEVAL", "bm25")
    assert Settings.from_env().retrieval == "bm25"
    monkeypatch.setenv("RAGQA_RETRIEVAL", "fuzzy")
    with pytest.raises(SettingsError, match="retrieval"):
        Settings.from_env()


def test_default_filters_come_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAGQA_FILTER_SOURCES", '["Daily Ledger", "Evening Post"]')
    monkeypatch.setenv("RAGQA_FILTER_SINCE", "2024-01-31")
    assert Settings.from_env().default_filters == RetrievalFilters(
        sources=("Daily Ledger", "Evening Post"), since=date(2024, 1, 31)
    )
    monkeypatch.setenv("RAGQA_FILTER_UNTIL", "2024-31-01")
    with pytest.raises(SettingsError, match="filter_until"):
        Settings.from_env()


def test_an_inverted_default_date_range_names_both_settings() -> None:
    with pytest.raises(SettingsError, match=r"filter_since \(2024-05-01\) is after filter_until"):
        Settings(filter_since=date(2024, 5, 1), filter_until=date(2024, 4, 1))
