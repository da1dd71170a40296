"""Sentences as a reader would quote them: numbers, abbreviations, headings, Chinese."""

from __future__ import annotations

import pytest

from service.llm.sentences import sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The pH of natural rain is near 5.6, because of carbonic acid. Next.",
            ["The pH of natural rain is near 5.6, because of carbonic acid.", "Next."],
        ),
        (
            "Doses of 0.2 to 0.5 mg/L are common. Higher ones are not.",
            ["Doses of 0.2 to 0.5 mg/L are common.", "Higher ones are not."],
        ),
        (
            "Version 2.1.3 fixed it, e.g. for the U.S. market. See Fig. 3 for more.",
            ["Version 2.1.3 fixed it, e.g. for the U.S. market.", "See Fig. 3 for more."],
        ),
        (
            "Revenue grew to 48.2 million euros. See report.pdf for details.",
            ["Revenue grew to 48.2 million euros.", "See report.pdf for details."],
        ),
    ],
)
def test_a_sentence_was_cut_inside_a_number_or_after_an_abbreviation(
    text: str, expected: list[str]
) -> None:
    """'near 5.6' came out as 'near 5.' and '6, …': a full stop ended every sentence."""
    assert sentences(text) == expected


def test_a_heading_was_glued_to_the_next_sentence() -> None:
    """'Risks Customer concentration…' was one sentence: a heading line stands alone."""
    text = "Risks\nCustomer concentration remains moderate: two customers\nbring 18 percent."
    assert sentences(text) == [
        "Risks",
        "Customer concentration remains moderate: two customers bring 18 percent.",
    ]


def test_a_sentence_wrapped_across_lines_is_one_sentence() -> None:
    text = "The main supply chain risk is the single\nfactory in Rotterdam. A second site\nis due."
    assert sentences(text) == [
        "The main supply chain risk is the single factory in Rotterdam.",
        "A second site is due.",
    ]


def test_a_word_hyphenated_across_lines_is_joined() -> None:
    assert sentences("The project was funded by the govern-\nment in 2019.") == [
        "The project was funded by the government in 2019."
    ]


def test_chinese_sentences_split_at_their_marks_and_join_across_lines() -> None:
    """A line break inside a Chinese word showed as a space ('动力工 厂')."""
    text = "深度学习使用多层神经网络。训练需要\n大量的数据和算力！这个动力工\n厂建于1998年。"
    assert sentences(text) == [
        "深度学习使用多层神经网络。",
        "训练需要大量的数据和算力！",
        "这个动力工厂建于1998年。",
    ]


def test_paragraphs_are_never_joined() -> None:
    assert sentences("First paragraph ends here\n\nsecond one starts here") == [
        "First paragraph ends here",
        "second one starts here",
    ]
