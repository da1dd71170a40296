"""PDF fixtures made by real PDF libraries: fpdf2 for documents, pypdf for a pathological one."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

CJK_FONTS = (
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf"),
)

ENGLISH_PAGES = [
    "Quarterly report. Revenue grew by twelve percent in the third quarter, "
    "driven by subscriptions in Europe.",
    "Risks. The main supply chain risk is the single factory in Rotterdam; "
    "a second site is planned.",
    "Outlook. The board expects hiring to slow while the photovoltaic division expands.",
]

CHINESE_PAGES = [
    "机器学习是人工智能的一个分支。它让计算机从数据中学习规律。",
    "深度学习使用多层神经网络。训练需要大量的数据和算力。",
]


LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
"""A TrueType font with ligature glyphs (Debian's fonts-dejavu-core), as LaTeX PDFs use."""

TYPESET_PAGES = [
    [
        "Deﬁnition 2.1. A topological space is Hausdorﬀ when any two distinct",
        "points have disjoint neighbourhoods; the misﬁts of this chapter are the",
        "spaces that fail it. The construction was ﬁrst studied by the govern-",
        "ment survey of 1923, which also measured the rain of the region.",
    ],
    [
        "Water quality",
        "The pH of natural rain is near 5.6, because carbon dioxide dissolves in",
        "it and forms a weak acid. Plants dose chlorine so that the residual at the",
        "tap stays between 0.2 to 0.5 mg/L, as version 2.1 of the code requires.",
    ],
    [],
]
"""Lines as a typesetter set them: ligatures, a word hyphenated at the margin, decimals;
the last page is blank, as a scanned page without a text layer reads."""

CHINESE_LINES = [
    "减数分裂前期，同源染色体两两配对的现象叫做联",
    "会，配对的一对染色体含有四条染色单体。这个动",
    "力工厂建于一九九八年，年发电量约为三点五亿度。",
]
"""Full lines of Chinese, two of them broken inside a word ('联会', '动力工厂')."""


def lines_pdf(pages: list[list[str]], font: Path) -> bytes:
    """A PDF with each page's lines set one by one, in the TrueType `font`."""
    pdf = FPDF()
    pdf.add_font("body", fname=str(font))
    for lines in pages:
        pdf.add_page()
        pdf.set_font("body", size=11)
        for line in lines:
            pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def typeset_pdf() -> bytes:
    """Three pages as a LaTeX document extracts: ligatures, hyphenation, decimals, a scan."""
    return lines_pdf(TYPESET_PAGES, LATIN_FONT)


def chinese_lines_pdf() -> bytes:
    """One page of Chinese whose line breaks fall inside words."""
    return lines_pdf([CHINESE_LINES], cjk_font())


def cjk_font() -> Path:
    """A TrueType font with CJK glyphs (Debian's fonts-droid-fallback)."""
    for path in CJK_FONTS:
        if path.exists():
            return path
    raise FileNotFoundError("install the Debian package fonts-droid-fallback")


def text_pdf(pages: list[str], *, cjk: bool = False, password: str | None = None) -> bytes:
    """A PDF with one paragraph per page; CJK text uses an embedded TrueType font."""
    pdf = FPDF()
    if cjk:
        pdf.add_font("cjk", fname=str(cjk_font()))
    if password is not None:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    for text in pages:
        pdf.add_page()
        if cjk:
            pdf.set_font("cjk", size=14)
        else:
            pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def english_pdf() -> bytes:
    """Three pages of an English report."""
    return text_pdf(ENGLISH_PAGES)


def chinese_pdf() -> bytes:
    """Two pages of Chinese text in an embedded CJK font."""
    return text_pdf(CHINESE_PAGES, cjk=True)


def encrypted_pdf(password: str = "secret") -> bytes:
    """An English document that needs a user password to open."""
    return text_pdf(ENGLISH_PAGES[:1], password=password)


def long_pdf(pages: int = 200) -> bytes:
    """A long report: `pages` pages of varied English prose."""
    words = [
        "revenue",
        "margin",
        "factory",
        "supply",
        "hiring",
        "outlook",
        "risk",
        "board",
        "quarter",
        "subscription",
        "europe",
        "growth",
        "cost",
        "energy",
        "solar",
        "division",
        "market",
    ]
    body = []
    for n in range(pages):
        sentence = " ".join(words[(n * 7 + i) % len(words)] for i in range(120))
        body.append(f"Section {n + 1}. {sentence.capitalize()}.")
    return text_pdf(body)


def slow_pdf(pages: int = 200, depth: int = 5, fanout: int = 10) -> bytes:
    """Small, valid, and very slow to extract: every page draws a deep tree of nested forms.

    pypdf caps form invocations per page, but each page pays the cap again, so
    extraction runs for minutes while the file stays a few kilobytes.
    """
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    form = None
    for _ in range(depth):
        stream = DecodedStreamObject()
        if form is None:
            stream.set_data(b"BT /F1 12 Tf 10 10 Td (nested text) Tj ET")
            resources = DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
            )
        else:
            stream.set_data(b" ".join([b"/X Do"] * fanout))
            resources = DictionaryObject(
                {NameObject("/XObject"): DictionaryObject({NameObject("/X"): form})}
            )
        stream.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject([NumberObject(v) for v in (0, 0, 612, 792)]),
                NameObject("/Resources"): resources,
            }
        )
        form = writer._add_object(stream)
    content = DecodedStreamObject()
    content.set_data(b"/X Do")
    content_ref = writer._add_object(content)
    for _ in range(pages):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Contents")] = content_ref
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/XObject"): DictionaryObject({NameObject("/X"): form})}
        )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def slow_open_pdf(fanout: int = 300) -> bytes:
    """A few kilobytes that take pypdf about a second to open: `fanout`² pages, all the same."""
    # The page tree's nodes list one child `fanout` times, so counting the pages (what an
    # open does) visits every one; pypdf's page-tree limits keep it near a second.
    writer = PdfWriter()
    node = writer.add_blank_page(612, 792).indirect_reference
    count = 1
    for _ in range(2):
        count *= fanout
        node = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Kids"): ArrayObject([node] * fanout),
                    NameObject("/Count"): NumberObject(count),
                }
            )
        )
    writer._root_object[NameObject("/Pages")] = node
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


INJECTION_PAYLOADS = (
    "<img src=x onerror=\"window['__pwned']=1;alert('img')\">",
    "<script>window['__pwned']=1;alert('script')</script>",
    "[click](javascript:window['__pwned']=1;alert('link'))",
)
"""Markup that would run script if a page put it in its DOM as HTML. There is no full stop
in them: the offline engine cuts sentences at every one, and each must arrive whole."""


def injection_pdf() -> bytes:
    """Three pages, each a sentence about a security notice that quotes one payload."""
    return text_pdf(
        [
            f"Security notice {n}: the supplier form contained {payload} in its footer"
            for n, payload in enumerate(INJECTION_PAYLOADS, 1)
        ]
    )
