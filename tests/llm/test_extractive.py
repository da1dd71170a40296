"""The offline engine: cited sentences from the best passages, streamed in chunks."""

from __future__ import annotations

import anyio
import pytest

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


PLANT = (
    "Safety rules. Wear goggles at all times. Chlorine is stored in the cellar. "
    "Visitors sign in at the gate. Chlorine leaks must be reported at once. "
    "The canteen opens at noon."
)
PLANT_ZH = (
    "安全规定。任何时候都要戴护目镜。氯气存放在地下室。访客在门口登记。"
    "发现氯气泄漏要立即报告。食堂中午开门。"
)


def _cited(lines: list[str], citation: str) -> str:
    return "\n".join(f"- {line} {citation}" for line in lines)


def test_what_is_this_page_about_found_nothing_though_the_page_was_in_view() -> None:
    """'What is this page about?' cited the viewed page, then said it found nothing."""
    page = _page("plant.pdf", 10, PLANT)
    answer = compose(Prompt("What is this page about?", [page], viewed=page))
    lead = [
        "Safety rules.",
        "Wear goggles at all times.",
        "Chlorine is stored in the cellar.",
        "Visitors sign in at the gate.",
    ]
    assert answer == "This page (plant.pdf, p. 10) says:\n" + _cited(lead, "[plant.pdf p.10]")


def test_a_chinese_question_about_the_viewed_page_gets_its_lead_in_chinese() -> None:
    page = _page("工厂.pdf", 3, PLANT_ZH)
    answer = compose(Prompt("这一页讲了什么？", [page], viewed=page))
    lead = ["安全规定。", "任何时候都要戴护目镜。", "氯气存放在地下室。", "访客在门口登记。"]
    assert answer == "这一页（工厂.pdf，第 3 页）的内容：\n" + _cited(lead, "[工厂.pdf p.3]")


def test_a_question_about_something_on_the_viewed_page_quotes_what_matches() -> None:
    page = _page("plant.pdf", 10, PLANT)
    other = _page("other.pdf", 1, "Chlorine is also used in pools.")
    answer = compose(Prompt("What does this page say about chlorine?", [page, other], viewed=page))
    matching = ["Chlorine is stored in the cellar.", "Chlorine leaks must be reported at once."]
    assert answer == "On this page (plant.pdf, p. 10):\n" + _cited(matching, "[plant.pdf p.10]")


def test_a_chinese_question_about_something_on_the_viewed_page_quotes_what_matches() -> None:
    page = _page("工厂.pdf", 3, PLANT_ZH)
    answer = compose(Prompt("这一页关于氯气说了什么？", [page], viewed=page))
    matching = ["氯气存放在地下室。", "发现氯气泄漏要立即报告。"]
    assert answer == "这一页（工厂.pdf，第 3 页）中的相关内容：\n" + _cited(
        matching, "[工厂.pdf p.3]"
    )


def test_what_the_viewed_page_does_not_mention_falls_back_to_its_lead() -> None:
    page = _page("plant.pdf", 10, PLANT)
    answer = compose(Prompt("What does this page say about zeppelins?", [page], viewed=page))
    assert answer.startswith("This page (plant.pdf, p. 10) does not mention that. It begins:\n")
    assert "- Safety rules. [plant.pdf p.10]" in answer
    assert "canteen" not in answer


def test_a_viewed_page_without_text_is_said_to_have_none() -> None:
    page = _page("scan.pdf", 1, "")
    answer = compose(Prompt("What is this page about?", [], viewed=page))
    assert answer.startswith("This page (scan.pdf, p. 1) has no text I can read")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is this page about?", "No page is open on this board"),
        ("这一页讲了什么？", "这个看板上没有打开的页面"),
    ],
)
def test_a_question_about_the_page_when_none_is_open_says_so(question: str, expected: str) -> None:
    answer = compose(Prompt(question, [_page("plant.pdf", 10, PLANT)]))
    assert answer.startswith(expected)
    assert "found nothing" not in answer
    assert "没有找到" not in answer


def test_with_no_page_open_a_question_about_a_topic_still_gets_the_board_s_matches() -> None:
    answer = compose(Prompt("What does this page say about chlorine?", [_page("p.pdf", 2, PLANT)]))
    assert answer.startswith("No page is open on this board. From its documents:\n")
    assert "- Chlorine is stored in the cellar. [p.pdf p.2]" in answer


def test_the_assistant_asked_about_this_page_says_it_cannot_see_it() -> None:
    answer = compose(Prompt("What is this page about?", [], scope="all boards"))
    assert answer.startswith("I can't see which page you have open")
