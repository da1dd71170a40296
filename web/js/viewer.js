// The reader: the real PDF page (pdf.js, on a canvas) beside the text the service
// extracted from it, with page navigation. Turning to a page tells the service
// (PUT …/view), which puts that page first in the expert's context.

import { api, apiUrl, pdfHeaders } from "./api.js";
import { $, debounce, h } from "./dom.js";
import { t } from "./i18n.js";
import { PDF_OPTIONS, pdfjs } from "./libs.js";

const MAX_DOCS = 4;

/** Text with runs of white space collapsed and letters lowered, with a map back. */
function normalize(text) {
  let flat = "";
  const map = [];
  let space = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (/\s/.test(c)) {
      if (!space) {
        flat += " ";
        map.push(i);
        space = true;
      }
      continue;
    }
    const lower = c.toLowerCase();
    flat += lower.length === 1 ? lower : c;
    map.push(i);
    space = false;
  }
  return { flat, map };
}

/**
 * Where `needle` (a snippet, or a sentence of the answer) is in `text`: [start, end)
 * in `text`, or null. Exact first (white space and case aside); then ever shorter
 * windows of the needle, so a paraphrase still finds the passage it quotes.
 */
export function locate(text, needle) {
  const hay = normalize(text);
  const want = normalize(String(needle || "").replace(/^[\s…]+|[\s…]+$/g, "")).flat.trim();
  if (want.length < 4) return null;
  const span = (at, len) => [hay.map[at], hay.map[at + len - 1] + 1];
  const at = hay.flat.indexOf(want);
  if (at >= 0) return span(at, want.length);
  for (const share of [0.75, 0.5, 0.35, 0.25]) {
    const len = Math.max(12, Math.floor(want.length * share));
    if (len >= want.length) continue;
    const step = Math.max(1, Math.floor(len / 3));
    for (let from = 0; from + len <= want.length; from += step) {
      const piece = want.slice(from, from + len).trim();
      const found = hay.flat.indexOf(piece);
      if (found >= 0 && piece.length >= 12) return span(found, piece.length);
    }
  }
  return null;
}

export class Viewer {
  constructor(root, { onOpen } = {}) {
    this.root = root;
    this.onOpen = onOpen || (() => {});
    this.canvas = $("#page-canvas", root);
    this.canvasWrap = $("#canvas-wrap", root);
    this.text = $("#page-text", root);
    this.fileName = $("#viewer-file", root);
    this.pageInput = $("#page-number", root);
    this.pageCount = $("#page-count", root);
    this.prev = $("#page-prev", root);
    this.next = $("#page-next", root);
    this.canvasNote = $("#canvas-note", root);
    this.body = $("#viewer-body", root);
    this.pager = $(".pager", root);
    this.empty = $("#viewer-empty", root);
    this.boardId = null;
    this.file = null;
    this.page = 1;
    this.docs = new Map(); // file_id → loading task
    this.pageText = null;
    this.highlight = null;
    this.drawn = 0;
    this.saveView = debounce((boardId, fileId, page) => {
      api.put(`/api/boards/${encodeURIComponent(boardId)}/view`, { file_id: fileId, page }).catch(() => {
        // The view is a hint for the expert; a failed save is not worth an error.
      });
    }, 300);

    this.prev.addEventListener("click", () => this.go(this.page - 1));
    this.next.addEventListener("click", () => this.go(this.page + 1));
    this.pageInput.addEventListener("change", () => this.go(Number(this.pageInput.value)));
    this.pageInput.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        this.go(Number(this.pageInput.value));
      }
    });
    this.canvasWrap.addEventListener("keydown", (e) => {
      const step = { ArrowLeft: -1, PageUp: -1, ArrowRight: 1, PageDown: 1 }[e.key];
      if (step) {
        e.preventDefault();
        this.go(this.page + step);
      }
    });
    let width = 0;
    const redraw = debounce(() => this.draw(), 150);
    new ResizeObserver(([entry]) => {
      const w = Math.round(entry.contentRect.width);
      if (this.file && Math.abs(w - width) > 2) redraw();
      width = w;
    }).observe(this.canvasWrap);
    this.show();
  }

  setBoard(boardId) {
    if (boardId === this.boardId) return;
    this.boardId = boardId;
    this.file = null;
    for (const task of this.docs.values()) task.destroy();
    this.docs.clear();
    this.show();
  }

  /** Open a file at a page; `highlight` = [needles] to mark in the page's text. */
  async open(file, page = 1, { highlight = null, save = true } = {}) {
    this.file = file;
    this.page = Math.min(Math.max(1, page || 1), file.pages || 1);
    this.highlight = highlight;
    this.show();
    if (save) this.saveView(this.boardId, file.file_id, this.page);
    this.onOpen(file, this.page);
    await Promise.all([this.draw(), this.loadText()]);
  }

  go(page) {
    if (!this.file || !Number.isFinite(page)) return;
    const target = Math.min(Math.max(1, Math.round(page)), this.file.pages || 1);
    if (target === this.page) {
      this.pageInput.value = String(this.page);
      return;
    }
    this.open(this.file, target);
  }

  /** A file's record changed (progress, ready, failed, deleted). */
  fileChanged(file) {
    if (!this.file || file.file_id !== this.file.file_id) return;
    if (file.deleted) {
      this.file = null;
      this.show();
      return;
    }
    this.file = { ...this.file, ...file };
    this.show();
    // The page's text was not extracted yet: try again once extraction got past it.
    const past = file.status !== "processing" || (file.progress?.page ?? 0) >= this.page;
    if (this.pageText === null && !this.textLoading && past) this.loadText();
  }

  show() {
    const file = this.file;
    this.empty.hidden = !!file;
    this.body.hidden = !file;
    this.pager.hidden = !file;
    this.fileName.textContent = file ? file.filename : "";
    this.pageInput.disabled = this.prev.disabled = this.next.disabled = !file;
    if (!file) {
      this.pageInput.value = "";
      this.pageCount.textContent = "";
      return;
    }
    const pages = file.pages || 1;
    this.pageInput.max = String(pages);
    this.pageInput.value = String(this.page);
    this.pageCount.textContent = t("viewer.of", { n: pages });
    this.prev.disabled = this.page <= 1;
    this.next.disabled = this.page >= pages;
    this.canvas.setAttribute("aria-label", t("viewer.canvas", { page: this.page, file: file.filename }));
    this.canvasWrap.setAttribute("aria-label", t("viewer.canvasNav", { page: this.page, pages, file: file.filename }));
  }

  document(file) {
    let task = this.docs.get(file.file_id);
    if (!task) {
      const path = `/api/boards/${encodeURIComponent(this.boardId)}/files/${encodeURIComponent(file.file_id)}/raw`;
      task = pdfjs.getDocument({ ...PDF_OPTIONS, url: apiUrl(path), httpHeaders: pdfHeaders() });
      this.docs.set(file.file_id, task);
      if (this.docs.size > MAX_DOCS) {
        const [oldest, old] = this.docs.entries().next().value;
        this.docs.delete(oldest);
        old.destroy();
      }
    }
    return task.promise;
  }

  /** Render the page off screen, then copy it onto the visible canvas (no flicker). */
  async draw() {
    const file = this.file;
    const page = this.page;
    if (!file) return;
    const ticket = ++this.drawn;
    this.canvasNote.hidden = true;
    this.canvasWrap.setAttribute("aria-busy", "true");
    try {
      const doc = await this.document(file);
      if (ticket !== this.drawn) return;
      const pdfPage = await doc.getPage(page);
      if (ticket !== this.drawn) return;
      const width = Math.max(200, this.canvasWrap.clientWidth - 2);
      const base = pdfPage.getViewport({ scale: 1 });
      const viewport = pdfPage.getViewport({ scale: width / base.width });
      const ratio = Math.min(window.devicePixelRatio || 1, 3);
      const off = document.createElement("canvas");
      off.width = Math.floor(viewport.width * ratio);
      off.height = Math.floor(viewport.height * ratio);
      const context = off.getContext("2d");
      await pdfPage.render({
        canvas: off,
        canvasContext: context,
        viewport,
        transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0],
      }).promise;
      if (ticket !== this.drawn) return;
      this.canvas.width = off.width;
      this.canvas.height = off.height;
      this.canvas.style.aspectRatio = `${off.width} / ${off.height}`;
      this.canvas.getContext("2d").drawImage(off, 0, 0);
      this.canvas.dataset.page = String(page);
      this.canvas.dataset.rendered = "true";
    } catch (error) {
      if (ticket !== this.drawn || error?.name === "RenderingCancelledException") return;
      this.canvas.dataset.rendered = "false";
      this.canvasNote.textContent = t("viewer.pdfFailed", { message: error?.message || String(error) });
      this.canvasNote.hidden = false;
    } finally {
      if (ticket === this.drawn) this.canvasWrap.removeAttribute("aria-busy");
    }
  }

  async loadText() {
    const file = this.file;
    const page = this.page;
    if (!file) return;
    this.pageText = null;
    this.textLoading = true;
    this.text.dataset.page = String(page);
    this.text.setAttribute("aria-busy", "true");
    const path = `/api/boards/${encodeURIComponent(this.boardId)}/files/${encodeURIComponent(file.file_id)}/pages/${page}`;
    let body;
    try {
      body = await api.get(path);
    } catch (error) {
      this.textLoading = false;
      if (this.file !== file || this.page !== page) return;
      this.text.removeAttribute("aria-busy");
      const note =
        file.status === "failed"
          ? t("viewer.textFailed", { error: file.error || "" })
          : error.code === "page_not_found"
            ? t("viewer.textPending")
            : error.message;
      this.text.replaceChildren(h("p", { class: "page-text-note" }, note));
      return;
    }
    this.textLoading = false;
    if (this.file?.file_id !== file.file_id || this.page !== page) return;
    this.text.removeAttribute("aria-busy");
    this.pageText = body.text || "";
    if (!this.pageText.trim()) {
      this.text.replaceChildren(h("p", { class: "page-text-note" }, t("viewer.noText")));
      return;
    }
    this.text.replaceChildren(this.pageText);
    this.applyHighlight();
  }

  applyHighlight() {
    const needles = (this.highlight || []).filter(Boolean);
    this.highlight = null;
    if (!needles.length || !this.pageText) return;
    for (const needle of needles) {
      const found = locate(this.pageText, needle);
      if (!found) continue;
      const [start, end] = found;
      const mark = h("mark", { id: "page-highlight", "data-testid": "page-highlight" }, this.pageText.slice(start, end));
      this.text.replaceChildren(this.pageText.slice(0, start), mark, this.pageText.slice(end));
      const box = this.text;
      box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3);
      return;
    }
  }

  relabel() {
    this.show();
  }
}
