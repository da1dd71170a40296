// A board's files: upload (picker or drag and drop) with transfer progress, then
// ingestion progress from the board's live events; failures with their reason; a warning
// on ready files with pages the server found no text on (a scan without a text layer).

import { api, upload } from "./api.js";
import { $, h, sentence } from "./dom.js";
import { fmtBytes, t } from "./i18n.js";

const MAX_LISTED_PAGES = 8;

function blankPages(pages) {
  const listed = pages.slice(0, MAX_LISTED_PAGES).join(", ") + (pages.length > MAX_LISTED_PAGES ? ", …" : "");
  return t("files.blankPages", { n: pages.length, pages: listed });
}

export class Files {
  constructor(root, { onOpen, onDelete, confirm, onError, onChange }) {
    this.root = root;
    this.list = $("#file-list", root);
    this.input = $("#file-input", root);
    this.dropzone = $("#dropzone", root);
    this.count = $("#files-count", root);
    this.onOpen = onOpen;
    this.onDelete = onDelete || (() => {});
    this.confirm = confirm;
    this.onError = onError;
    this.onChange = onChange || (() => {});
    this.boardId = null;
    this.files = new Map(); // file_id → record (+ progress)
    this.uploads = new Map(); // local id → {name, size, loaded, total, error, handle}
    this.rows = new Map(); // id → row elements
    this.queue = Promise.resolve();
    this.uploadSeq = 0;
    this.loading = null;

    this.input.addEventListener("change", () => {
      this.add([...this.input.files]);
      this.input.value = "";
    });
    const zone = root;
    let depth = 0;
    const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes("Files");
    zone.addEventListener("dragenter", (e) => {
      if (!hasFiles(e) || !this.boardId) return;
      e.preventDefault();
      depth++;
      this.dropzone.classList.add("dragging");
    });
    zone.addEventListener("dragover", (e) => {
      if (!hasFiles(e) || !this.boardId) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    });
    zone.addEventListener("dragleave", () => {
      depth = Math.max(0, depth - 1);
      if (!depth) this.dropzone.classList.remove("dragging");
    });
    zone.addEventListener("drop", (e) => {
      if (!hasFiles(e) || !this.boardId) return;
      e.preventDefault();
      depth = 0;
      this.dropzone.classList.remove("dragging");
      this.add([...e.dataTransfer.files]);
    });
  }

  async setBoard(boardId) {
    this.boardId = boardId;
    this.files.clear();
    for (const up of this.uploads.values()) up.handle?.abort();
    this.uploads.clear();
    this.rows.clear();
    this.list.replaceChildren();
    this.render();
    if (boardId) await this.reload();
  }

  /** Fetch the records again (on open, and when the live feed may have missed events). */
  async reload() {
    const boardId = this.boardId;
    if (this.loading) return this.loading;
    this.loading = (async () => {
      try {
        const { files } = await api.get(`/api/boards/${encodeURIComponent(boardId)}/files`);
        if (boardId !== this.boardId) return;
        const seen = new Set();
        for (const file of files) {
          seen.add(file.file_id);
          this.merge(file);
        }
        for (const id of [...this.files.keys()]) if (!seen.has(id)) this.files.delete(id);
        this.render();
      } catch (error) {
        this.onError(error);
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  merge(file) {
    const old = this.files.get(file.file_id);
    const merged = { ...old, ...file };
    if (file.status && file.status !== "processing") delete merged.progress;
    this.files.set(file.file_id, merged);
    return merged;
  }

  get(fileId) {
    return this.files.get(fileId) || null;
  }

  byName(filename) {
    return [...this.files.values()].find((f) => f.filename === filename) || null;
  }

  /** Whether live events are expected (for the feed's watchdog). */
  busy() {
    return this.uploads.size > 0 || [...this.files.values()].some((f) => f.status === "processing");
  }

  // --- live events ------------------------------------------------------------------

  event(name, data) {
    const file = this.files.get(data.file_id);
    if (!file) {
      if (name.startsWith("file.")) this.reload();
      return null;
    }
    if (name === "file.progress") {
      file.pages = data.pages || file.pages;
      file.progress = { page: data.page, pages: data.pages };
    } else if (name === "file.ready") {
      this.merge({ ...file, status: "ready", error: null });
      api.get(`/api/boards/${encodeURIComponent(this.boardId)}/files/${encodeURIComponent(data.file_id)}`)
        .then((record) => {
          if (this.files.has(record.file_id)) {
            this.merge(record);
            this.render();
          }
        })
        .catch(() => {});
    } else if (name === "file.failed") {
      this.merge({ ...file, status: "failed", error: data.error || file.error });
    }
    this.render();
    return this.files.get(data.file_id);
  }

  // --- uploads --------------------------------------------------------------------------

  add(files) {
    if (!this.boardId || !files.length) return;
    const boardId = this.boardId;
    for (const file of files) {
      const id = `upload-${++this.uploadSeq}`;
      const looksPdf = /\.pdf$/i.test(file.name) || file.type === "application/pdf";
      const entry = { id, name: file.name, size: file.size, loaded: 0, total: file.size, error: null, handle: null };
      this.uploads.set(id, entry);
      if (!looksPdf) {
        entry.error = t("upload.notPdf");
        continue;
      }
      // One at a time: the first file's text is extracted while the next one uploads.
      this.queue = this.queue.then(() => this.send(boardId, file, entry)).catch(() => {});
    }
    this.render();
  }

  async send(boardId, file, entry) {
    if (boardId !== this.boardId || !this.uploads.has(entry.id)) return;
    // The service checks the signature too; checking here answers at once.
    const head = await file.slice(0, 5).text().catch(() => "%PDF-");
    if (head !== "%PDF-") {
      entry.error = file.size ? t("upload.notPdf") : t("upload.empty");
      this.render();
      return;
    }
    entry.handle = upload(boardId, file, (loaded, total) => {
      entry.loaded = loaded;
      entry.total = total;
      this.renderUpload(entry);
    });
    this.renderUpload(entry);
    try {
      const record = await entry.handle.promise;
      if (boardId !== this.boardId) return;
      this.uploads.delete(entry.id);
      this.rows.get(entry.id)?.li.remove();
      this.rows.delete(entry.id);
      const known = this.files.get(record.file_id);
      this.merge(known && known.status !== "processing" ? { ...record, status: known.status, error: known.error } : record);
      this.render();
      this.onChange();
    } catch (error) {
      if (error.code === "aborted" || boardId !== this.boardId) {
        this.uploads.delete(entry.id);
        this.rows.get(entry.id)?.li.remove();
        this.rows.delete(entry.id);
      } else {
        entry.error = error.message;
        entry.handle = null;
      }
      this.render();
    }
  }

  // --- rendering ------------------------------------------------------------------------

  render() {
    const files = [...this.files.values()].sort((a, b) => b.created_at - a.created_at);
    const order = [...this.uploads.values()].map((u) => u.id).concat(files.map((f) => f.file_id));
    for (const [id, row] of this.rows) {
      if (!order.includes(id)) {
        row.li.remove();
        this.rows.delete(id);
      }
    }
    for (const entry of this.uploads.values()) this.renderUpload(entry);
    for (const file of files) this.renderFile(file);
    // Put rows in order without moving the ones already in place (keeps focus).
    let cursor = this.list.firstElementChild;
    for (const id of order) {
      const li = this.rows.get(id).li;
      if (li !== cursor) this.list.insertBefore(li, cursor);
      else cursor = cursor.nextElementSibling;
    }
    this.count.textContent = files.length ? t("files.count", { n: files.length }) : "";
    this.dropzone.classList.toggle("compact", order.length > 0);
    this.root.dataset.busy = String(this.busy());
  }

  row(id) {
    let row = this.rows.get(id);
    if (row) return row;
    const name = h("button", { type: "button", class: "file-name" });
    const meta = h("span", { class: "file-meta" });
    const status = h("span", { class: "file-status", "data-testid": "file-status" });
    const progress = h("progress", { class: "file-progress", max: "1", value: "0", hidden: true });
    const action = h("button", { type: "button", class: "icon-button file-action" });
    const note = h("p", { class: "file-note", hidden: true });
    const li = h(
      "li",
      { class: "file-row", "data-testid": "file-row" },
      h("span", { class: "file-icon", "aria-hidden": "true" }),
      h("div", { class: "file-main" }, name, meta),
      h("div", { class: "file-state" }, status, progress),
      action,
      note,
    );
    row = { li, name, meta, status, progress, action, note, id };
    this.rows.set(id, row);
    return row;
  }

  renderUpload(entry) {
    const row = this.row(entry.id);
    const failed = !!entry.error;
    row.li.dataset.status = failed ? "upload-failed" : "uploading";
    row.li.dataset.fileId = "";
    row.name.textContent = entry.name;
    row.name.disabled = true;
    row.meta.textContent = fmtBytes(entry.size);
    const share = entry.total ? entry.loaded / entry.total : 0;
    row.status.textContent = failed
      ? t("upload.failed")
      : entry.handle
        ? t("upload.progress", { pct: Math.round(share * 100) })
        : t("upload.waiting");
    row.progress.hidden = failed;
    row.progress.value = share;
    row.progress.setAttribute("aria-label", t("upload.progressLabel", { name: entry.name }));
    row.note.hidden = !failed;
    row.note.textContent = sentence(entry.error || "");
    row.note.setAttribute("role", failed ? "alert" : "note");
    row.action.textContent = "×";
    row.action.setAttribute("aria-label", failed ? t("upload.dismiss", { name: entry.name }) : t("upload.cancel", { name: entry.name }));
    row.action.onclick = () => {
      if (entry.handle) entry.handle.abort();
      else {
        this.uploads.delete(entry.id);
        this.render();
      }
    };
  }

  renderFile(file) {
    const row = this.row(file.file_id);
    const blank = file.status === "ready" ? file.pages_without_text || [] : [];
    const scanned = blank.length > 0 && blank.length >= (file.pages || 0);
    row.li.dataset.status = file.status;
    row.li.dataset.fileId = file.file_id;
    row.li.dataset.scanned = String(scanned);
    row.name.disabled = false;
    row.name.textContent = file.filename;
    row.name.setAttribute("aria-label", t("files.open", { name: file.filename }));
    row.name.onclick = () => this.onOpen(file.file_id, 1);
    row.meta.textContent = [t("files.pages", { n: file.pages || 0 }), fmtBytes(file.size)].join(" · ");
    let status = t(`files.status.${file.status}`);
    row.progress.hidden = file.status !== "processing";
    if (file.status === "processing") {
      const p = file.progress;
      row.progress.max = Math.max(1, p?.pages || file.pages || 1);
      row.progress.value = p?.page || 0;
      row.progress.setAttribute("aria-label", t("files.extracting", { name: file.filename }));
      if (p) status = t("files.progress", { page: p.page, pages: p.pages });
    }
    row.status.textContent = status;
    const note = file.status === "failed" ? sentence(file.error) || t("files.failedUnknown") : scanned ? t("files.scanned") : blank.length ? blankPages(blank) : "";
    row.note.hidden = !note;
    row.note.textContent = note;
    row.note.className = `file-note ${file.status === "failed" ? "error" : "warning"}`;
    row.note.setAttribute("role", "note");
    row.action.textContent = "";
    row.action.append(trashIcon());
    row.action.setAttribute("aria-label", t("files.delete", { name: file.filename }));
    row.action.onclick = () => this.remove(file);
  }

  async remove(file) {
    const ok = await this.confirm(t("files.deleteConfirm", { name: file.filename }), t("files.deleteButton"));
    if (!ok) return;
    try {
      await api.del(`/api/boards/${encodeURIComponent(this.boardId)}/files/${encodeURIComponent(file.file_id)}`);
    } catch (error) {
      if (error.status !== 404) {
        this.onError(error);
        return;
      }
    }
    this.files.delete(file.file_id);
    this.render();
    this.onDelete(file);
    this.onChange();
  }
}

function trashIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", "M9 3h6l1 2h4v2H4V5h4l1-2Zm-3 6h12l-1 12H7L6 9Zm4 2v8h2v-8h-2Zm4 0v8h2v-8h-2Z");
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}
