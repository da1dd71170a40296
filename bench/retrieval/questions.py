"""The evaluation questions: 12 for each of English/Chinese × keyword/paraphrase.

A keyword question reuses the distinctive words of its answering page. A paraphrase question
asks for the same kind of fact in other words, sharing as few content words with the page as
it can while still reading naturally. `page` is 1-based, and exactly one page of the corpus
answers each question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bench.retrieval.corpus import (
    SOLAR_EN,
    SOLAR_ZH,
    TRAVEL_EN,
    TRAVEL_ZH,
    WAREHOUSE_EN,
    WAREHOUSE_ZH,
    WATER_EN,
    WATER_ZH,
)

Lang = Literal["en", "zh"]
Kind = Literal["keyword", "paraphrase"]


@dataclass(frozen=True)
class Question:
    """A question, the (filename, 1-based page) that answers it, and its group."""

    text: str
    filename: str
    page: int
    lang: Lang
    kind: Kind


WATER = WATER_EN.filename
SOLAR = SOLAR_EN.filename
TRAVEL = TRAVEL_EN.filename
WAREHOUSE = WAREHOUSE_EN.filename
WATER_CN = WATER_ZH.filename
SOLAR_CN = SOLAR_ZH.filename
TRAVEL_CN = TRAVEL_ZH.filename
WAREHOUSE_CN = WAREHOUSE_ZH.filename


def _en_keyword(text: str, filename: str, page: int) -> Question:
    return Question(text, filename, page, "en", "keyword")


def _en_paraphrase(text: str, filename: str, page: int) -> Question:
    return Question(text, filename, page, "en", "paraphrase")


def _zh_keyword(text: str, filename: str, page: int) -> Question:
    return Question(text, filename, page, "zh", "keyword")


def _zh_paraphrase(text: str, filename: str, page: int) -> Question:
    return Question(text, filename, page, "zh", "paraphrase")


QUESTIONS: list[Question] = [
    # English, keyword
    _en_keyword("What is the free chlorine residual range required at customer taps?", WATER, 6),
    _en_keyword("What alum dose range is used for coagulation, and how is it chosen?", WATER, 2),
    _en_keyword("How long is the air scour applied during a filter backwash?", WATER, 4),
    _en_keyword("At what wind gust speed do the trackers move to the stow position?", SOLAR, 4),
    _en_keyword(
        "What is the minimum insulation resistance for strings tested at 1000 V DC?", SOLAR, 5
    ),
    _en_keyword("How often must the inverter air intake filters be replaced?", SOLAR, 3),
    _en_keyword("What is the nightly hotel room rate cap in high-cost cities?", TRAVEL, 3),
    _en_keyword("What is the mileage reimbursement rate for using a personal car?", TRAVEL, 5),
    _en_keyword("When is business class allowed on flights?", TRAVEL, 2),
    _en_keyword("What is the forklift speed limit in aisles and pedestrian zones?", WAREHOUSE, 1),
    _en_keyword(
        "How often is pallet racking inspected, and what does red damage mean?", WAREHOUSE, 2
    ),
    _en_keyword(
        "How long may employees stay in the frozen store before a warm-up break?", WAREHOUSE, 7
    ),
    # English, paraphrase
    _en_paraphrase("How murky can the river get after heavy rain?", WATER, 1),
    _en_paraphrase("At what reading from the gas sensors do operators have to get out?", WATER, 5),
    _en_paraphrase(
        "How dry does the leftover muck get after the spinning machines, before it is carted off?",
        WATER,
        8,
    ),
    _en_paraphrase("How pure must the liquid be that we use to wash the panels?", SOLAR, 2),
    _en_paraphrase(
        "During which months do animals keep the plants down between the rows?", SOLAR, 6
    ),
    _en_paraphrase("When is the operating summary for the investors due?", SOLAR, 8),
    _en_paraphrase("How long do I have to hand in proof of what I spent?", TRAVEL, 6),
    _en_paraphrase("How much can I spend on food each day when I'm on the road?", TRAVEL, 4),
    _en_paraphrase(
        "What should I do if I misplace the plastic the firm gave me for work purchases?", TRAVEL, 7
    ),
    _en_paraphrase("What is the heaviest thing one person may pick up without help?", WAREHOUSE, 3),
    _en_paraphrase(
        "After getting out during an emergency, where should everyone meet up?", WAREHOUSE, 5
    ),
    _en_paraphrase("If somebody gets hurt, by when does it need to be written up?", WAREHOUSE, 8),
    # Chinese, keyword
    _zh_keyword("出厂水游离氯应控制在什么范围？", WATER_CN, 4),
    _zh_keyword("V型滤池反冲洗时气冲和水冲各需要多长时间？", WATER_CN, 3),
    _zh_keyword("混凝时聚合氯化铝的投加量是多少，如何确定？", WATER_CN, 2),
    _zh_keyword("积灰造成的发电损失超过多少时需要清洗组件？", SOLAR_CN, 2),
    _zh_keyword("箱式变压器油温超过多少度会报警？", SOLAR_CN, 4),
    _zh_keyword("防雷接地电阻不应大于多少欧姆？", SOLAR_CN, 5),
    _zh_keyword("一线城市每晚住宿费标准是多少元？", TRAVEL_CN, 3),
    _zh_keyword("出差伙食补助标准是每天多少元？", TRAVEL_CN, 4),
    _zh_keyword("出差结束后多少个工作日内要提交差旅费报销单？", TRAVEL_CN, 5),
    _zh_keyword("叉车在库内行驶的限速是多少？", WAREHOUSE_CN, 1),
    _zh_keyword("堆垛的墙距和灯距分别不小于多少？", WAREHOUSE_CN, 2),
    _zh_keyword("剧毒化学品的双人双锁管理是怎么规定的？", WAREHOUSE_CN, 4),
    # Chinese, paraphrase
    _zh_paraphrase("离水厂最远的用户家里，水中消毒剂最少得剩多少？", WATER_CN, 5),
    _zh_paraphrase("测过的水样要放多久才能倒掉？", WATER_CN, 6),
    _zh_paraphrase("河面上漂来一片油花，我们该怎么办？", WATER_CN, 7),
    _zh_paraphrase("电站里负责变流的那些机器，防尘网多长时间要弄干净一次？", SOLAR_CN, 3),
    _zh_paraphrase("能不能自己一个人去阵列里修东西？", SOLAR_CN, 6),
    _zh_paraphrase("每月的产量汇报截止到哪天？", SOLAR_CN, 7),
    _zh_paraphrase("普通同事坐动车能选什么座位？", TRAVEL_CN, 2),
    _zh_paraphrase("出门前先从公司拿的钱，回来以后多久要还清？", TRAVEL_CN, 6),
    _zh_paraphrase("拿假票据来报账会有什么后果？", TRAVEL_CN, 7),
    _zh_paraphrase("卡车倒到卸货口以后，开车的人要先做什么才能搬货？", WAREHOUSE_CN, 5),
    _zh_paraphrase("晚上大家都走了，仓库里的电闸怎么处理？", WAREHOUSE_CN, 6),
    _zh_paraphrase("有同事在库里摔伤了，最迟多久要让上级知道？", WAREHOUSE_CN, 7),
]
"""Every question, grouped by language and kind."""
