"""What a question asks for: the page in view, the list of boards, or a change to a board."""

from __future__ import annotations

import pytest

from service.llm.intents import BoardCommand, ListBoards, page_question, workspace_intent


@pytest.mark.parametrize(
    "question",
    [
        "What is this page about?",
        "What's on this page?",
        "what does this file cover",
        "Summarize this document.",
        "Summarize this",
        "Can you summarise this for me?",
        "What am I looking at?",
        "What's on the screen?",
        "What does the current page say?",
        "这一页讲了什么？",
        "这页说的是什么",
        "本页的主要内容",
        "当前页讲什么",
        "这个页面是关于什么的？",
        "这份文件讲了什么？",
        "我在看什么？",
    ],
)
def test_questions_about_the_viewed_page_are_recognised(question: str) -> None:
    assert page_question(question) is not None


@pytest.mark.parametrize(
    "question",
    [
        "How did revenue grow?",
        "What is this quarter's revenue?",
        "Summarize this quarter",
        "Summarize the risks",
        "Which page mentions the factory?",
        "What boards do I have?",
        "什么是机器学习？",
        "哪一页提到了工厂？",
    ],
)
def test_other_questions_do_not_point_at_the_page(question: str) -> None:
    assert page_question(question) is None


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("What is this page about?", ()),
        ("What's on the screen?", ()),
        ("What does this page say about chlorine?", ("chlorine",)),
        ("Summarize what this document says on revenue growth", ("revenue", "growth")),
        ("这页讲的是什么", ()),
        ("这一页关于氯气说了什么？", ("氯气",)),
    ],
)
def test_a_page_question_keeps_only_what_it_asks_about(
    question: str, terms: tuple[str, ...]
) -> None:
    found = page_question(question)
    assert found is not None
    assert found.terms == terms


@pytest.mark.parametrize(
    "question",
    [
        "What boards do I have?",
        "list my boards",
        "List all boards.",
        "Show me my boards please",
        "How many boards do I have?",
        "我有哪些看板？",
        "列出所有看板",
        "有几个看板",
    ],
)
def test_asking_for_the_boards_is_a_list_request(question: str) -> None:
    assert workspace_intent(question) == ListBoards(chinese="看板" in question)


@pytest.mark.parametrize(
    ("question", "command"),
    [
        (
            "Create a board called Rotterdam site",
            BoardCommand("create_board", name="Rotterdam site"),
        ),
        (
            "please make a new board named “Q3 review”.",
            BoardCommand("create_board", name="Q3 review"),
        ),
        ("create a new board", BoardCommand("create_board")),
        ("Add a board: Rotterdam", BoardCommand("create_board", name="Rotterdam")),
        ("新建一个叫鹿特丹的看板", BoardCommand("create_board", name="鹿特丹", chinese=True)),
        ("创建看板：鹿特丹", BoardCommand("create_board", name="鹿特丹", chinese=True)),
        ("rename board Finance to Money", BoardCommand("rename_board", "Finance", "Money")),
        (
            "Rename the board “Old plans” to “New plans”!",
            BoardCommand("rename_board", "Old plans", "New plans"),
        ),
        ("把看板Finance改名为财务", BoardCommand("rename_board", "Finance", "财务", chinese=True)),
        ("将财务看板重命名为金融", BoardCommand("rename_board", "财务", "金融", chinese=True)),
        ("delete the board Finance", BoardCommand("delete_board", "Finance")),
        ("Remove the Ops board.", BoardCommand("delete_board", "Ops")),
        ("删除看板Finance", BoardCommand("delete_board", "Finance", chinese=True)),
        ("把Ops看板删掉", BoardCommand("delete_board", "Ops", chinese=True)),
    ],
)
def test_changes_to_boards_are_parsed_into_commands(question: str, command: BoardCommand) -> None:
    assert workspace_intent(question) == command


@pytest.mark.parametrize(
    "question",
    [
        "Where is the factory?",
        "Which boards mention the factory?",
        "What does the board say about revenue?",
        "Delete the second paragraph",
        "Make a board game list",
        "把这句话删除",
        "哪个看板提到了工厂？",
    ],
)
def test_other_questions_are_no_workspace_request(question: str) -> None:
    assert workspace_intent(question) is None


def test_a_command_gives_the_arguments_of_propose_command() -> None:
    assert BoardCommand("rename_board", "Finance", "Money").arguments() == {
        "action": "rename_board",
        "board": "Finance",
        "name": "Money",
    }
    assert BoardCommand("create_board", name="Ops").arguments() == {
        "action": "create_board",
        "name": "Ops",
    }
