"""The offline engine: cited sentences from the best passages, streamed in chunks."""

from __future__ import annotations

import anyio

from service.boards.models import Passage
from service.llm.engine import Prompt
from service.llm.extractive import ExtractiveEngine, compose


def _page(filename: str, page: int, text: str, board_id: str = "brd_1") -> Passage:
    return Passage("page", "fil_1", filename, page, 1.0, text[:50], text=text, board_id=board_id)


def _stream(prompt: Prompt) -> list[str]:
    async def main() -> list[str]:
        return [chunk async for chunk in ExtractiveEngine().answer(prompt)]

    return anyio.run(main)


def test_answer_cites_the_matching_sentence() -> None:
    source = _page("report.pdf", 2, "Intro text. Revenue grew by 12 percent. Costs fell.")
    answer = compose(Prompt("How much did revenue grow?", [source]))
    assert "Revenue grew by 12 percent. [report.pdf p.2]" in answer
    assert "Costs fell" not in answer


def test_chunks_concatenate_to_the_answer() -> None:
    prompt = Prompt("revenue", [_page("r.pdf", 1, "Revenue grew. Revenue fell again.")])
    chunks = _stream(prompt)
    assert len(chunks) > 3
    assert "".join(chunks) == compose(prompt)


def test_nothing_matching_is_said_plainly() -> None:
    answer = compose(Prompt("What about zeppelins?", [_page("r.pdf", 1, "Revenue grew.")]))
    assert answer == "I found nothing on this board that matches this question."


def test_chinese_question_gets_a_chinese_answer_with_citations() -> None:
    source = _page("学习.pdf", 1, "机器学习是人工智能的一个分支。天气很好。")
    answer = compose(Prompt("什么是机器学习？", [source]))
    assert answer.startswith("根据看板上的文档：")
    assert "机器学习是人工智能的一个分支。 [学习.pdf p.1]" in answer
    assert "天气" not in answer


def test_assistant_answers_name_the_board() -> None:
    source = _page("r.pdf", 1, "Revenue grew.", board_id="brd_sales")
    answer = compose(Prompt("revenue", [source], scope="all boards"))
    assert "[r.pdf p.1] (board: brd_sales)" in answer


def test_a_quoted_figure_was_cut_at_its_decimal_point() -> None:
    """The answer quoted 'near pH 5.' and '6, because…': it quotes the whole sentence."""
    source = _page("rain.pdf", 4, "Acid rain\nThe pH of natural rain is near 5.6, because of CO2.")
    answer = compose(Prompt("What is the pH of natural rain?", [source]))
    assert "The pH of natural rain is near 5.6, because of CO2. [rain.pdf p.4]" in answer
