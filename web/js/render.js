// Markdown answers: marked → DOMPurify → citation links, re-rendered incrementally.
//
// Text from a PDF or a model is untrusted: raw HTML is shown as text (libs.js), and
// whatever marked produces goes through DOMPurify, so `<script>`, `onerror=` and
// `javascript:` links never run. Citations `[filename p.N]` (and `[note: title]`)
// become buttons; app.js handles their clicks by delegation.

import { DOMPurify, marked } from "./libs.js";
import { t } from "./i18n.js";

const PURIFY = {
  RETURN_DOM_FRAGMENT: true,
  FORBID_TAGS: ["style", "img", "form", "button", "textarea", "select", "svg", "math", "iframe"],
  FORBID_ATTR: ["style", "class", "id", "name"],
};
const SAFE_HREF = /^(https?:|mailto:)/i;

function toFragment(html) {
  const fragment = DOMPurify.sanitize(html, PURIFY);
  for (const a of fragment.querySelectorAll("a")) {
    const href = a.getAttribute("href") || "";
    if (!SAFE_HREF.test(href)) {
      a.removeAttribute("href");
    } else {
      a.target = "_blank";
      a.rel = "noopener noreferrer nofollow";
    }
  }
  return fragment;
}

// Blocks that a later line can still extend ("- b" joins the list above it across a
// blank line, indented code continues, …): the settled part never ends with one.
const OPEN_ENDED = new Set(["list", "blockquote", "code", "html", "def"]);

/**
 * Renders a growing Markdown text into an element, in time proportional to what was
 * added rather than to the whole answer: blocks that can no longer change ("settled")
 * keep their DOM and are not lexed again; the open tail is lexed again and compared
 * block by block, and only the blocks that changed are rendered. Text selection and
 * focus inside unchanged blocks survive.
 */
export class MarkdownView {
  constructor(el) {
    this.el = el;
    this.reset();
  }

  reset() {
    this.blocks = []; // {raw, count, type, nodes}: one token, or a run of new tokens
    this.settled = 0; // blocks[0 .. settled) never change again
    this.settledLen = 0; // their length in the text
    this.text = null;
    this.el.replaceChildren();
  }

  /** Render `text`; returns false when nothing changed. */
  render(text) {
    text = text.replace(/\r\n?/g, "\n");
    if (text === this.text) return false;
    if (this.text === null || !text.startsWith(this.text.slice(0, this.settledLen))) {
      this.reset();
    }
    this.text = text;
    const tokens = marked.lexer(text.slice(this.settledLen));
    // Keep the open blocks whose source did not change.
    let i = 0;
    let keep = this.settled;
    for (; keep < this.blocks.length; keep++) {
      const block = this.blocks[keep];
      const raw = tokens.slice(i, i + block.count).map((tk) => tk.raw).join("");
      if (raw !== block.raw || i + block.count > tokens.length) break;
      i += block.count;
    }
    for (const block of this.blocks.splice(keep)) {
      for (const node of block.nodes) node.remove();
    }
    // New blocks: everything but the last two in one go (one parse, one sanitise).
    const rest = tokens.slice(i);
    const runs = rest.length > 3 ? [rest.slice(0, -2), rest.slice(-2, -1), rest.slice(-1)] : rest.map((tk) => [tk]);
    for (const run of runs) {
      const fragment = toFragment(marked.parser(run));
      linkCitations(fragment);
      wrapTables(fragment);
      const nodes = [...fragment.childNodes];
      this.el.append(fragment);
      this.blocks.push({ raw: run.map((tk) => tk.raw).join(""), count: run.length, type: run.at(-1).type, nodes });
    }
    this.settle();
    return true;
  }

  settle() {
    let k = this.blocks.length - 2;
    while (k > this.settled) {
      let prev = k - 1;
      while (prev >= this.settled && this.blocks[prev].type === "space") prev--;
      if (prev < this.settled || !OPEN_ENDED.has(this.blocks[prev].type)) break;
      k = prev;
    }
    for (; this.settled < k; this.settled++) this.settledLen += this.blocks[this.settled].raw.length;
  }
}

/** Tables scroll inside their own box, so a wide table never widens the page. */
function wrapTables(root) {
  for (const table of root.querySelectorAll("table")) {
    const box = document.createElement("div");
    box.className = "table-scroll";
    table.replaceWith(box);
    box.append(table);
  }
}

const BRACKETS = /\[([^[\]\n]{1,400})\]/g;
const PAGE_REF = [/^(.+?)\s+p\.\s?(\d{1,5})$/, /^(.+?)\s*第\s*(\d{1,5})\s*页$/];
const NOTE_REF = /^note:\s*(.+)$/i;

function parseRef(part) {
  const note = NOTE_REF.exec(part);
  if (note) return { note: note[1].trim() };
  for (const re of PAGE_REF) {
    const m = re.exec(part);
    if (m) return { filename: m[1].trim(), page: Number(m[2]) };
  }
  return null;
}

/** `[a.pdf p.3]`, `[a.pdf p.3; b.pdf p.1]`, `[note: Todo]` → refs, or null. */
export function parseCitation(inner) {
  const refs = inner.split(/\s*;\s*/).map(parseRef);
  return refs.length && refs.every(Boolean) ? refs : null;
}

export function citationLabel(ref) {
  return ref.note !== undefined
    ? t("cite.note", { title: ref.note })
    : t("cite.page", { file: ref.filename, page: ref.page });
}

function citationButton(ref) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = ref.note !== undefined ? "cite cite-note" : "cite";
  button.dataset.testid = "citation";
  if (ref.note !== undefined) {
    button.dataset.note = ref.note;
    button.append(t("cite.noteShort"), " ", ref.note);
  } else {
    button.dataset.filename = ref.filename;
    button.dataset.page = String(ref.page);
    const file = document.createElement("span");
    file.className = "cite-file";
    file.textContent = ref.filename;
    const page = document.createElement("span");
    page.className = "cite-page";
    page.textContent = `p.${ref.page}`;
    button.append(file, page);
  }
  button.setAttribute("aria-label", citationLabel(ref));
  button.title = citationLabel(ref);
  return button;
}

/** Replace citations in the text nodes of `root` (not in code or links) by buttons. */
export function linkCitations(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      if (!node.nodeValue.includes("[")) return NodeFilter.FILTER_REJECT;
      return node.parentElement?.closest("code, pre, a, button")
        ? NodeFilter.FILTER_REJECT
        : NodeFilter.FILTER_ACCEPT;
    },
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const text = node.nodeValue;
    const parts = [];
    let last = 0;
    for (const m of text.matchAll(BRACKETS)) {
      const refs = parseCitation(m[1]);
      if (!refs) continue;
      parts.push(text.slice(last, m.index));
      refs.forEach((ref, i) => {
        if (i) parts.push(" ");
        parts.push(citationButton(ref));
      });
      last = m.index + m[0].length;
    }
    if (!parts.length) continue;
    parts.push(text.slice(last));
    node.replaceWith(...parts.filter((p) => p !== ""));
  }
}

/** Update the accessible names of citation buttons after a language change. */
export function relabelCitations(root) {
  for (const button of root.querySelectorAll("button.cite")) {
    const ref = button.dataset.note !== undefined
      ? { note: button.dataset.note }
      : { filename: button.dataset.filename, page: Number(button.dataset.page) };
    button.setAttribute("aria-label", citationLabel(ref));
    button.title = citationLabel(ref);
  }
}

/** The sentence just before a citation button, in the answer's text (its fallback snippet). */
export function sentenceBefore(button) {
  const block = button.closest("li, p, td, th, blockquote, h1, h2, h3, h4, h5, h6") || button.parentElement;
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  let text = "";
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (button.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) break;
    if (node.parentElement.closest("button.cite")) continue;
    text += node.nodeValue;
  }
  const sentences = text
    .split(/(?<=[.!?。！？；])\s+|\n+/)
    .map((s) => s.replace(/^[\s\-*•]+/, "").trim())
    .filter((s) => s.length > 2);
  return sentences.pop() || "";
}
