"""What a question asks for, when the offline engine answers it other than by searching.

Two kinds, in English and Chinese: a question about the page the user is looking at
("what is this page about?", "这一页讲了什么？"), and a request about the workspace itself
("list my boards", "新建一个叫鹿特丹的看板"). Pure functions over word lists and regular
expressions; a question none of them recognise is searched as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from service.boards import query_terms

Action = Literal["create_board", "rename_board", "delete_board"]

# What points at the viewed page. English is matched in whole words; "summarize this"
# only at the end, so that "summarize this quarter" stays a question about a quarter.
_POINTING_EN = re.compile(
    r"\b(?:this|the\s+(?:current|open))\s+(?:page|pdf|document|doc|file|slide)\b"
    r"|\bwhat\s+am\s+i\s+(?:looking\s+at|viewing|reading|seeing)\b"
    r"|\bon\s+(?:the\s+|my\s+|this\s+)?screen\b"
    r"|\bsummari[sz]e\s+this(?:\s+for\s+me)?(?:\s+please)?\s*[.!?]*\s*$",
    re.IGNORECASE,
)
_POINTING_ZH = re.compile(
    r"这一页|这页|本页|此页|当前页面?|这个页面|这份(?:文件|文档)|这个(?:文件|文档)"
    r"|当前(?:文件|文档)|屏幕上|我(?:正)?在看(?:的是)?什么"
    r"|(?:总结|概括)(?:一下)?这个\s*[。！？!?]*\s*$"
)
# Words that ask about the page rather than name a topic on it.
_FILLER_EN_WORDS = """
what whats s is are was does do did this that it its the a an about say says said tell me
on in of at for page pages document doc file pdf slide screen summarize summarise summary
explain describe show give overview brief briefly main points point key cover covers
contain contains talk talks discuss discusses mean means here there please can could you
i am looking look viewing reading seeing current open my whole entire up so
"""
_FILLER_ZH_WORDS = """
讲的是 讲了 讲述 讲 说的是 说了 说 写的是 写了 写 主要 内容 关于 有关 总结 概括 一下 介绍
描述 解释 提到 什么 是 的 了 吗 呢 吧 啊 请 帮我 我 有 哪些
"""
_FILLER_EN = frozenset(_FILLER_EN_WORDS.split())
_FILLER_ZH = sorted(_FILLER_ZH_WORDS.split(), key=len, reverse=True)


@dataclass(frozen=True, slots=True)
class PageQuestion:
    """A question about the viewed page, with the terms it asks about beyond the page."""

    terms: tuple[str, ...] = ()


def page_question(question: str) -> PageQuestion | None:
    """The question as one about the viewed page, or None when it points at nothing."""
    rest, english = _POINTING_EN.subn(" ", question)
    rest, chinese = _POINTING_ZH.subn(" ", rest)
    if not english and not chinese:
        return None
    for filler in _FILLER_ZH:
        rest = rest.replace(filler, " ")
    # A lone Chinese character left over is a particle, not a topic.
    terms = [t for t in query_terms(rest) if t not in _FILLER_EN and (len(t) > 1 or t.isdigit())]
    return PageQuestion(tuple(terms))


@dataclass(frozen=True, slots=True)
class ListBoards:
    """A request for the list of boards, and whether it was asked in Chinese."""

    chinese: bool = False


@dataclass(frozen=True, slots=True)
class BoardCommand:
    """A request to create, rename or delete a board, to be proposed, never run."""

    action: Action
    board: str = ""
    name: str = ""
    chinese: bool = False  # from the wording, as names alone ("删除看板Finance") mislead

    def arguments(self) -> dict[str, str]:
        """The arguments `propose_command` takes."""
        found = {"action": self.action, "board": self.board, "name": self.name}
        return {k: v for k, v in found.items() if v}


WorkspaceIntent = ListBoards | BoardCommand

_PLEASE = r"(?:(?:please|can\s+you|could\s+you|would\s+you|i\s+want\s+to|i'd\s+like\s+to)\s+)*"
_END = r"(?:,?\s+please)?\s*[.!?。！？]*\s*"
_NEW_EN = r"(?:create|make|add|start|set\s+up)(?:\s+me)?(?:\s+an?)?(?:\s+new)?"
_RENAME_EN = r"(?:rename|change\s+the\s+name\s+of)\s+(?:the\s+)?"
_DELETE_EN = r"(?:delete|remove|drop)\s+(?:the\s+)?"
# A new board's name follows a word that says so, or a quote: "a board game" names nothing.
_CALLED_EN = r"(?:\s+(?:called|named|titled|for)\s+|\s*:\s*|\s+(?=[\"'“‘]))"
_ZH_PLEASE = r"(?:请|麻烦)?(?:你)?(?:帮我)?"
_NEW_ZH = r"(?:新建|创建|建立|新增|添加|建)(?:一个|个)?(?:新的?)?"
_CALLED_ZH = r"(?:名为|叫做?|名叫|叫作|名字是)"
_RENAME_ZH = r"(?:的名字)?(?:改名为|改名成|重命名为|更名为|命名为|改为|改成)"
_DELETE_ZH = r"(?:删除|删掉|删了|移除)"

_BOARD = r"(?P<board>.+?)"
_NAME = r"(?P<name>.+?)"

_LIST_EN = [
    _PLEASE + r"(?:what|which)\s+boards\s+(?:do\s+i\s+have|have\s+i\s+got|are\s+there|exist)",
    r"how\s+many\s+boards\s+(?:do\s+i\s+have|are\s+there)",
    _PLEASE + r"(?:list|show)(?:\s+me)?(?:\s+(?:all|every))?(?:\s+(?:my|the|of\s+my))?\s+boards",
]
_LIST_ZH = [
    _ZH_PLEASE + r"我?都?有(?:哪些|什么|几个|多少个?)看板",
    _ZH_PLEASE + r"(?:列出|显示|看看)(?:一下)?(?:所有|全部|我的)?的?看板(?:列表)?",
    r"(?:所有|全部|我的)?看板列表",
]
# Tried in order, each against the whole question; a name is the shortest that fits.
_COMMANDS_EN: list[tuple[Action, str]] = [
    ("create_board", _PLEASE + _NEW_EN + rf"\s+board(?:{_CALLED_EN}{_NAME})?"),
    ("rename_board", _PLEASE + _RENAME_EN + rf"board\s+{_BOARD}\s+(?:to|as)\s+{_NAME}"),
    ("rename_board", _PLEASE + _RENAME_EN + rf"{_BOARD}\s+board\s+(?:to|as)\s+{_NAME}"),
    ("delete_board", _PLEASE + _DELETE_EN + rf"board\s+(?:called\s+|named\s+)?{_BOARD}"),
    ("delete_board", _PLEASE + _DELETE_EN + rf"{_BOARD}\s+board"),
]
_COMMANDS_ZH: list[tuple[Action, str]] = [
    ("create_board", _ZH_PLEASE + _NEW_ZH + _CALLED_ZH + rf"{_NAME}的?看板"),
    ("create_board", _ZH_PLEASE + _NEW_ZH + r"看板[，,：:\s]*" + _CALLED_ZH + r"?(?P<name>.*?)"),
    ("rename_board", _ZH_PLEASE + rf"[把将]看板{_BOARD}{_RENAME_ZH}{_NAME}"),
    ("rename_board", _ZH_PLEASE + rf"[把将]{_BOARD}(?:这个)?看板{_RENAME_ZH}{_NAME}"),
    ("rename_board", _ZH_PLEASE + rf"(?:重命名|改名)看板{_BOARD}为{_NAME}"),
    ("delete_board", _ZH_PLEASE + _DELETE_ZH + rf"(?:一下)?看板[：:\s]*{_BOARD}"),
    ("delete_board", _ZH_PLEASE + _DELETE_ZH + _CALLED_ZH + rf"?{_BOARD}的?(?:这个)?看板"),
    ("delete_board", _ZH_PLEASE + rf"[把将](?:看板)?{_BOARD}(?:这个)?看板给?{_DELETE_ZH}[掉吧]?"),
]


def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern + _END, re.IGNORECASE)


_LISTS = [(False, _compiled(p)) for p in _LIST_EN] + [(True, _compiled(p)) for p in _LIST_ZH]
_CHANGES = [(False, a, _compiled(p)) for a, p in _COMMANDS_EN] + [
    (True, a, _compiled(p)) for a, p in _COMMANDS_ZH
]
_QUOTES = "\"'“”‘’「」『』《》 \t"


def workspace_intent(question: str) -> WorkspaceIntent | None:
    """The question as a request about the boards themselves, or None for anything else."""
    text = question.strip()
    for chinese, pattern in _LISTS:
        if pattern.fullmatch(text):
            return ListBoards(chinese)
    for chinese, action, pattern in _CHANGES:
        if found := pattern.fullmatch(text):
            groups = found.groupdict()
            board, name = _name(groups.get("board")), _name(groups.get("name"))
            if action == "create_board" or board:
                return BoardCommand(action, board, name, chinese)
    return None


def _name(text: str | None) -> str:
    return (text or "").strip().strip(_QUOTES).strip()
