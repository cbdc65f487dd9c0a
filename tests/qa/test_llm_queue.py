"""The local model's bounded queue: one reply at a time, a few callers waiting, no more."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from qa import BackendError
from qa.answer.prompts import short_answer_prompt
from qa.llm import LlamaCppBackend
from qa.llm_queue import LLMQueue
from tests.polling import eventually

PROMPTS = [
    short_answer_prompt(question, [evidence])
    for question, evidence in (
        (
            "Who is North Korea's foreign minister?",
            "Quoting North Korea's foreign minister Choe Son Hui, KCNA stated that there "
            "was no interest in any summit meeting with Japan.",
        ),
        (
            "Who is North Korea's ambassador to China?",
            "North Korea's ambassador to China, Ri Ryong Nam, said talks were not needed.",
        ),
        (
            "How many abductees does Tokyo list?",
            "Tokyo lists 17 Japanese nationals as abductees.",
        ),
    )
]


def test_callers_take_turns_and_one_too_many_is_told_the_model_is_busy() -> None:
    queue = LLMQueue(max_waiting=1, model="llama-cpp (gemma.gguf)")
    running, release = threading.Event(), threading.Event()
    inside: list[int] = []

    def call(n: int) -> None:
        with queue.turn():
            inside.append(n)
            running.set()
            release.wait(10)
            assert inside[-1] == n  # nobody else came in meanwhile

    first = threading.Thread(target=call, args=(1,))
    first.start()
    assert running.wait(10)
    waiting = threading.Thread(target=call, args=(2,))
    waiting.start()
    assert eventually(lambda: queue.callers == 2, 10)  # one running, one waiting
    busy = r"llama-cpp \(gemma.gguf\) is busy: 1 questions"
    with pytest.raises(BackendError, match=busy), queue.turn():
        pass
    release.set()
    for thread in (first, waiting):
        thread.join(10)
    assert inside == [1, 2] and queue.callers == 0
    with queue.turn():  # free again once the queue has drained
        pass


@pytest.mark.slow
def test_concurrent_callers_get_the_replies_they_get_alone(gemma: LlamaCppBackend) -> None:
    """One llama.cpp context is shared by threads: each reply is the one asked alone."""
    alone = [gemma.complete(prompt) for prompt in PROMPTS]
    # As many callers as the queue holds (one running, the rest waiting): none is refused.
    with ThreadPoolExecutor(max_workers=gemma.queue.max_waiting + 1) as pool:
        streamed = pool.map(lambda p: "".join(gemma.stream(p)), PROMPTS)
        completed = pool.map(gemma.complete, PROMPTS)
        assert list(completed) == alone
        assert list(streamed) == alone
    assert "Choe Son Hui" in alone[0] and "Ri Ryong Nam" in alone[1]


@pytest.mark.slow
def test_a_reply_does_not_depend_on_the_question_asked_before_it(gemma: LlamaCppBackend) -> None:
    """Regression: llama.cpp reused the previous prompt's cached prefix, and the bundled
    Gemma answered this prompt "Hideki Tojo" after another question, "Koizumi" alone."""
    prompt = short_answer_prompt(
        "Which Japanese prime minister met Kim Jong Il in 2002? What did he want?",
        [
            "In 2002, five abductees were returned to Japan after then Japanese Prime "
            "Minister Junichiro Koizumi met with North Korea's leader at the time, Kim Jong "
            "Il, in Pyongyang, in the first-ever summit between the two countries."
        ],
    )
    gemma.complete(PROMPTS[0])
    first = gemma.complete(prompt)
    gemma.complete(PROMPTS[2])
    assert gemma.complete(prompt) == first == "Koizumi"
