"""Search terms: bigrams for CJK, words for the rest, and snippets around the match."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from service.boards.text import bigrams, fts_query, index_text, is_cjk, query_terms, snippet


def test_cjk_runs_become_bigrams_in_the_index() -> None:
    assert index_text("机器学习 and AI").split() == ["机器", "器学", "学习", "and", "ai"]


def test_every_two_character_term_of_a_run_is_indexed() -> None:
    run = "深度学习使用神经网络"
    indexed = set(index_text(run).split())
    assert all(run[i : i + 2] in indexed for i in range(len(run) - 1))


def test_query_terms_drop_stop_words_and_punctuation() -> None:
    assert query_terms('What is the "supply chain" risk?') == ["supply", "chain", "risk"]
    assert query_terms("什么是神经网络？") == ["神经", "经网", "网络"]


def test_a_query_of_only_stop_words_keeps_them() -> None:
    assert query_terms("what is it") == ["what", "is", "it"]


def test_ligatures_and_full_width_forms_are_searched_as_typed() -> None:
    """'Definition' found nothing in a text that held 'Deﬁnition' (U+FB01)."""
    assert index_text("Deﬁnition ＰＤＦ２") == "definition pdf2"
    assert query_terms("ＰＤＦ ﬁles") == ["pdf", "files"]


def test_latin_letters_before_chinese_were_one_term() -> None:
    """'V型滤池' was searched as the one term 'v型滤池', which no page's bigrams hold."""
    assert query_terms("V型滤池") == ["v", "型滤", "滤池"]
    assert set(query_terms("V型滤池")) <= set(index_text("V型滤池").split())


def test_single_cjk_character_is_its_own_term() -> None:
    assert bigrams("书") == ["书"]


@given(st.text())
def test_fts_query_quotes_every_term(text: str) -> None:
    query = fts_query(query_terms(text))
    for part in query.split(" OR ") if query else []:
        assert part.startswith('"')
        assert part.endswith('"')


def test_snippet_centres_on_the_terms() -> None:
    text = "filler " * 100 + "the Rotterdam factory is the risk " + "filler " * 100
    cut = snippet(text, ["rotterdam"])
    assert "Rotterdam factory" in cut
    assert cut.startswith("…")
    assert cut.endswith("…")
    assert len(cut) <= 245


def test_is_cjk() -> None:
    assert is_cjk("什么是机器学习?")
    assert not is_cjk("What is machine learning?")
