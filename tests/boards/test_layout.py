"""A page's lines as a reader sees them: wraps joined, headings and items apart, passages."""

from __future__ import annotations

from service.boards.layout import clean, paragraphs, passages


def test_a_ligature_is_spelled_out() -> None:
    """A LaTeX PDF's 'Deﬁnition' (U+FB01) was not found by 'Definition'."""
    assert clean("Deﬁnition 2.1 (Hausdorﬀ space). No misﬁts.") == (
        "Definition 2.1 (Hausdorff space). No misfits."
    )


def test_a_word_hyphenated_at_the_margin_is_joined() -> None:
    text = "The project was funded by the local govern-\nment of the city in 2019 and 2020.\n"
    assert paragraphs(text) == [
        "The project was funded by the local government of the city in 2019 and 2020."
    ]


def test_a_hyphen_before_a_capital_or_a_number_stays() -> None:
    text = "It was the largest plant in North-\nRhine Westphalia in the year of its opening.\n"
    assert paragraphs(text) == [
        "It was the largest plant in North-Rhine Westphalia in the year of its opening."
    ]


def test_a_chinese_word_broken_by_a_line_is_joined() -> None:
    """'联会' stored as '联\\n会' was not found, and showed as '动力工 厂'."""
    text = "减数分裂前期，同源染色体两两配对的现象叫做联\n会，配对的一对染色体含有四条染色单体。"
    assert paragraphs(text) == [
        "减数分裂前期，同源染色体两两配对的现象叫做联会，配对的一对染色体含有四条染色单体。"
    ]


def test_a_chinese_heading_stays_apart() -> None:
    text = (
        "第三章 运行管理\n"
        "本章规定了水厂运行的基本要求，包括巡检、记录和交接班制度，各\n"
        "岗位必须严格执行。"
    )
    assert paragraphs(text) == [
        "第三章 运行管理",
        "本章规定了水厂运行的基本要求，包括巡检、记录和交接班制度，各岗位必须严格执行。",
    ]


def test_a_numbered_heading_is_not_glued_to_the_next_sentence() -> None:
    """'2.4. The glob files Each MIME…' was one sentence in a real specification."""
    text = (
        "2.4. The glob files\n"
        "Each MIME information package may contain a globs file, which lists the\n"
        "patterns of file names that identify each type.\n"
    )
    assert paragraphs(text) == [
        "2.4. The glob files",
        "Each MIME information package may contain a globs file, which lists the "
        "patterns of file names that identify each type.",
    ]


def test_list_items_are_paragraphs_of_their_own() -> None:
    text = (
        "The operator checks three values every shift:\n"
        "• the residual chlorine at the outlet, which must stay\n"
        "between 0.2 and 0.5 mg/L;\n"
        "• the turbidity of the filtered water;\n"
        "• the pH, which must stay between 6.5 and 8.5.\n"
    )
    assert paragraphs(text) == [
        "The operator checks three values every shift:",
        "• the residual chlorine at the outlet, which must stay between 0.2 and 0.5 mg/L;",
        "• the turbidity of the filtered water;",
        "• the pH, which must stay between 6.5 and 8.5.",
    ]


def test_a_wrapped_line_before_a_capitalised_name_is_not_a_heading() -> None:
    text = (
        "The main supply chain risk of the group is the single large\n"
        "factory in Rotterdam, which is why a second site is planned for\n"
        "Antwerp in the coming two years.\n"
    )
    assert len(paragraphs(text)) == 1


def test_paragraphs_are_packed_into_passages_and_long_ones_cut_at_sentences() -> None:
    short = ["First paragraph.", "Second paragraph.", "Third paragraph."]
    assert passages("\n\n".join(short), limit=40) == [
        "First paragraph.\nSecond paragraph.",
        "Third paragraph.",
    ]
    long = " ".join(f"Sentence number {i} is here." for i in range(40))
    pieces = passages(long, limit=200)
    assert all(len(p) <= 200 for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(pieces) == long


def test_clean_keeps_paragraphs_apart_with_blank_lines() -> None:
    assert clean("Risks\nThe main risk is the factory in Rotterdam.") == (
        "Risks\n\nThe main risk is the factory in Rotterdam."
    )
