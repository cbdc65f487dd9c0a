"""The trained reader, loaded from the committed file over the bundled MiniLM."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import ModelFileError
from index.embedding import bundled_model_dir
from qa.answer.reader import (
    READER_FILE,
    READER_SHA256,
    Reader,
    WindowText,
    load_tokenizer,
)
from qa.answer.reader_net import build_net, torch_forward
from qa.training.examples import Example
from qa.training.train import TrainConfig, save_trained, train

TITLE = "Harbour authority names new chief"
STATES = WindowText(
    sentence="The port authority appointed Maria Keller as its chief executive on Monday.",
    title=TITLE,
)
NEAR_MISS = WindowText(
    sentence="Maria Keller, who joined the port authority in 2015, thanked the board.",
    title=TITLE,
    previous="The board met in Hamburg.",
)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    return Reader.bundled(base_dir=bundled_model_dir(), stamp_dir=tmp_path_factory.mktemp("m"))


def test_a_window_that_states_the_answer_outscores_a_near_miss(reader: Reader) -> None:
    question = "Who did the port authority appoint as chief executive?"
    states, near_miss = reader.read(question, [STATES, NEAR_MISS])
    assert states.logit > near_miss.logit


def test_the_span_is_the_answer_words(reader: Reader) -> None:
    (reading,) = reader.read("Who did the port authority appoint as chief executive?", [STATES])
    start, end = reading.span
    assert STATES.sentence[start:end] == "Maria Keller"


def test_a_number_question_gets_the_number(reader: Reader) -> None:
    window = WindowText(
        sentence="Tokyo officially lists a total of 17 Japanese nationals as abductees.",
        title="North Korea rejects contact with Japan",
    )
    (reading,) = reader.read("How many Japanese nationals does Tokyo list as abductees?", [window])
    start, end = reading.span
    assert window.sentence[start:end] == "17"


def test_batches_give_the_same_readings_as_one_window_at_a_time(reader: Reader) -> None:
    question = "Who did the port authority appoint as chief executive?"
    together = reader.read(question, [STATES, NEAR_MISS])
    alone = [reader.read(question, [w])[0] for w in (STATES, NEAR_MISS)]
    for a, b in zip(together, alone, strict=True):
        assert a.span == b.span
        assert a.logit == pytest.approx(b.logit, abs=1e-4)


def test_a_damaged_model_file_is_refused_by_its_checksum(tmp_path: Path) -> None:
    damaged = tmp_path / "reader.safetensors"
    shutil.copyfile(READER_FILE, damaged)
    with damaged.open("r+b") as handle:
        handle.seek(-100, 2)
        handle.write(b"\0" * 10)
    with pytest.raises(ModelFileError, match="SHA-256"):
        Reader.from_file(
            damaged, base_dir=bundled_model_dir(), sha256=READER_SHA256, stamp_dir=tmp_path
        )


def test_a_file_that_is_not_a_reader_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "reader.safetensors"
    junk.write_bytes(b"not a model")
    with pytest.raises(ModelFileError, match="cannot be read"):
        Reader.from_file(junk, base_dir=bundled_model_dir(), sha256=None, stamp_dir=tmp_path)


def test_training_on_a_tiny_slice_moves_the_scores_and_saves_a_loadable_file(
    tmp_path: Path,
) -> None:
    """The training loop end to end, on 16 pairs: the loss falls and the file loads back."""
    positive = Example(
        question="Who did the port authority appoint?",
        sentence=STATES.sentence,
        title=TITLE,
        previous="",
        label=1,
        span=(29, 41),
        article="harbour.txt",
    )
    negative = Example(
        question=positive.question,
        sentence=NEAR_MISS.sentence,
        title=TITLE,
        previous=NEAR_MISS.previous,
        label=0,
        span=None,
        article="harbour.txt",
    )
    examples = [positive, negative] * 8
    base = bundled_model_dir()

    net = build_net(base)
    tokenizer = load_tokenizer(base)
    before = Reader(tokenizer, torch_forward(net)).read(positive.question, [STATES, NEAR_MISS])
    losses: list[str] = []
    train(net, tokenizer, examples, TrainConfig(epochs=3, batch_size=4), log=losses.append)
    after = Reader(tokenizer, torch_forward(net)).read(positive.question, [STATES, NEAR_MISS])
    assert after[0].logit - after[1].logit > before[0].logit - before[1].logit
    path = tmp_path / "tiny.safetensors"
    save_trained(net, path, {"test": "1"})
    loaded = Reader.from_file(path, base_dir=base, sha256=None, stamp_dir=tmp_path)
    again = loaded.read(positive.question, [STATES, NEAR_MISS])
    for a, b in zip(after, again, strict=True):
        assert a.logit == pytest.approx(b.logit, abs=0.05)  # saved as fp16
