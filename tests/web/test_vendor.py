"""The vendored browser libraries: served as JavaScript, importable as ES modules, working.

The pages import them from a neutral page of the service's origin (/healthz), so these
tests do not depend on the web client itself.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw
from playwright.sync_api import Page
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from tests import pdfs
from tests.conftest import LiveServer, upload

MARKED = "/vendor/marked/marked.esm.js"
DOMPURIFY = "/vendor/dompurify/purify.es.mjs"
PDFJS = "/vendor/pdfjs-dist/pdf.min.mjs"
PDFJS_WORKER = "/vendor/pdfjs-dist/pdf.worker.min.mjs"
CMAPS = "/vendor/pdfjs-dist/cmaps/"
WASM = "/vendor/pdfjs-dist/wasm/"

VENDOR_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "vendor"


def pinned(variable: str) -> str:
    """A version pinned at the top of scripts/vendor."""
    match = re.search(rf"^{variable}=(\S+)", VENDOR_SCRIPT.read_text(), re.MULTILINE)
    assert match, f"{variable} is not in scripts/vendor"
    return match.group(1)


@pytest.mark.parametrize("path", [MARKED, DOMPURIFY, PDFJS, PDFJS_WORKER])
def test_modules_are_served_as_javascript(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    media_type = response.headers["content-type"].split(";")[0].strip()
    # A module script in any other type (text/plain, application/octet-stream) is refused.
    assert media_type in ("text/javascript", "application/javascript")


@pytest.mark.parametrize(
    "path",
    [
        WASM + "openjpeg.wasm",
        WASM + "jbig2.wasm",
        WASM + "qcms_bg.wasm",
        CMAPS + "UniGB-UCS2-H.bcmap",
        CMAPS + "UniJIS-UTF16-H.bcmap",
        CMAPS + "UniKS-UCS2-H.bcmap",
    ],
)
def test_pdfjs_data_files_are_served(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.content


def test_marked_renders_and_dompurify_sanitises(page: Page, server: LiveServer) -> None:
    page.goto(server.url + "/healthz")
    result: dict[str, Any] = page.evaluate(
        """async ([markedUrl, purifyUrl]) => {
          const { marked } = await import(markedUrl);
          const { default: DOMPurify } = await import(purifyUrl);
          const markdown = "- one\\n- two\\n\\n| a | b |\\n|---|---|\\n| 1 | 2 |\\n";
          const dirty = '<img src=x onerror=alert(1)><a href="javascript:alert(2)">link</a>'
            + "<p>kept</p><script>alert(3)</script>";
          return {
            html: marked.parse(markdown),
            clean: DOMPurify.sanitize(dirty),
            link: DOMPurify.sanitize(marked.parse("[link](javascript:alert(4))")),
            supported: DOMPurify.isSupported,
            version: DOMPurify.version,
          };
        }""",
        [MARKED, DOMPURIFY],
    )
    html = result["html"]
    assert "<ul>" in html
    assert "<li>one</li>" in html
    assert "<li>two</li>" in html
    assert "<table>" in html
    assert "<th>a</th>" in html
    assert "<td>2</td>" in html

    clean = result["clean"]
    assert '<img src="x">' in clean
    assert "onerror" not in clean
    assert "javascript:" not in clean
    assert "<script" not in clean
    assert ">link</a>" in clean
    assert "<p>kept</p>" in clean
    assert "javascript:" not in result["link"]
    assert "link" in result["link"]

    assert result["supported"] is True
    assert result["version"] == pinned("DOMPURIFY_VERSION")


RENDER = """async ({pdfjsUrl, workerUrl, cMapUrl, wasmUrl, url}) => {
  const pdfjs = await import(pdfjsUrl);
  pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
  const task = pdfjs.getDocument({ url, cMapUrl, wasmUrl });
  try {
    const pdf = await task.promise;
    const page = await pdf.getPage(1);
    const content = await page.getTextContent();
    const viewport = page.getViewport({ scale: 1 });
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(viewport.width);
    canvas.height = Math.ceil(viewport.height);
    await page.render({ canvas, viewport }).promise;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i] < 128 || pixels[i + 1] < 128 || pixels[i + 2] < 128) ink++;
    }
    return {
      version: pdfjs.version,
      pages: pdf.numPages,
      text: content.items.map((item) => item.str).join(""),
      ink: ink / (canvas.width * canvas.height),
    };
  } finally {
    await task.destroy();
  }
}"""


def render_first_page(page: Page, server: LiveServer, client: httpx.Client, data: bytes) -> Any:
    """Upload `data` to a new board, then open it with pdf.js in the page and draw page 1."""
    board_id = client.post("/api/boards", json={"name": "Vendor"}).json()["board_id"]
    response = upload(client, board_id, data, "doc.pdf")
    assert response.status_code == 201, response.text
    file_id = response.json()["file_id"]
    page.goto(server.url + "/healthz")
    arguments = {
        "pdfjsUrl": PDFJS,
        "workerUrl": PDFJS_WORKER,
        "cMapUrl": CMAPS,
        "wasmUrl": WASM,
        "url": f"/api/boards/{board_id}/files/{file_id}/raw",
    }
    return page.evaluate(RENDER, arguments)


def test_pdfjs_opens_a_pdf_from_the_service(
    page: Page, server: LiveServer, client: httpx.Client, english_pdf: bytes
) -> None:
    result = render_first_page(page, server, client, english_pdf)
    assert result["version"] == pinned("PDFJS_VERSION")
    assert result["pages"] == len(pdfs.ENGLISH_PAGES)
    assert "Revenue grew by twelve percent" in result["text"]
    assert result["ink"] > 0.001


def test_pdfjs_draws_cjk_text_in_a_font_the_pdf_does_not_embed(
    page: Page, server: LiveServer, client: httpx.Client
) -> None:
    """Such text needs the CMaps in cmaps/: without them it is neither drawn nor read."""
    result = render_first_page(page, server, client, cjk_unembedded_pdf("机器学习"))
    assert result["text"] == "机器学习"
    assert result["ink"] > 0.001


def test_pdfjs_draws_jpeg2000_and_fax_images(
    page: Page, server: LiveServer, client: httpx.Client
) -> None:
    """Such images need the decoders in wasm/: without them the page stays blank."""
    result = render_first_page(page, server, client, scan_pdf())
    # Two black squares, each 2.8 % of the page: both must be drawn.
    assert result["ink"] > 0.05


def cjk_unembedded_pdf(text: str) -> bytes:
    """One page of Chinese in STSong-Light, a standard CJK font the PDF names but omits."""
    writer = PdfWriter()
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): NameObject("/STSong-Light"),
            NameObject("/Flags"): NumberObject(6),
            NameObject("/FontBBox"): ArrayObject([NumberObject(v) for v in (-25, -254, 1000, 880)]),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): NumberObject(880),
            NameObject("/Descent"): NumberObject(-120),
            NameObject("/CapHeight"): NumberObject(880),
            NameObject("/StemV"): NumberObject(93),
        }
    )
    cid_font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType0"),
            NameObject("/BaseFont"): NameObject("/STSong-Light"),
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("GB1"),
                    NameObject("/Supplement"): NumberObject(4),
                }
            ),
            NameObject("/FontDescriptor"): writer._add_object(descriptor),
            NameObject("/DW"): NumberObject(1000),
        }
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/STSong-Light"),
            NameObject("/Encoding"): NameObject("/UniGB-UCS2-H"),
            NameObject("/DescendantFonts"): ArrayObject([writer._add_object(cid_font)]),
        }
    )
    content = DecodedStreamObject()
    codes = text.encode("utf-16-be").hex().upper()
    content.set_data(f"BT /F1 48 Tf 50 300 Td <{codes}> Tj ET".encode())
    page = writer.add_blank_page(595, 842)
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def scan_pdf() -> bytes:
    """One page with a JPEG 2000 image and a CCITT fax image, each a black square on white."""
    colour = Image.new("RGB", (200, 200), "white")
    ImageDraw.Draw(colour).rectangle((0, 0, 199, 199), fill="black")
    fax = Image.new("1", (200, 200), 1)
    ImageDraw.Draw(fax).rectangle((0, 0, 199, 199), fill=0)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_image_filter("JPXDecode")
    pdf.image(colour, x=20, y=20, w=42)
    pdf.set_image_filter("AUTO")  # a bilevel image: CCITT group 4
    pdf.image(fax, x=20, y=100, w=42)
    data = bytes(pdf.output())
    assert b"/JPXDecode" in data
    assert b"/CCITTFaxDecode" in data
    return data
