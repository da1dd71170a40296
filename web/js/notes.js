// A board's notes: list, create, edit in place, delete. The expert reads them too.

import { api } from "./api.js";
import { $, h } from "./dom.js";
import { fmtTime, t } from "./i18n.js";

export class Notes {
  constructor(root, { confirm, onError, onChange }) {
    this.root = root;
    this.list = $("#note-list", root);
    this.form = $("#note-form", root);
    this.title = $("#note-title", root);
    this.text = $("#note-text", root);
    this.count = $("#notes-count", root);
    this.confirm = confirm;
    this.onError = onError;
    this.onChange = onChange || (() => {});
    this.boardId = null;
    this.notes = [];
    this.editing = null;
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.create();
    });
  }

  base() {
    return `/api/boards/${encodeURIComponent(this.boardId)}/notes`;
  }

  async setBoard(boardId) {
    this.boardId = boardId;
    this.notes = [];
    this.editing = null;
    this.render();
    if (boardId) await this.reload();
  }

  async reload() {
    const boardId = this.boardId;
    try {
      const { notes } = await api.get(this.base());
      if (boardId !== this.boardId) return;
      this.notes = notes;
      this.render();
    } catch (error) {
      this.onError(error);
    }
  }

  async create() {
    const text = this.text.value.trim();
    if (!text) {
      this.text.focus();
      return;
    }
    try {
      const note = await api.post(this.base(), { title: this.title.value.trim(), text });
      this.notes.push(note);
      this.title.value = this.text.value = "";
      this.render();
      this.onChange();
    } catch (error) {
      this.onError(error);
    }
  }

  /** Show and briefly mark a note (a `[note: title]` citation was followed). */
  reveal(title) {
    const index = this.notes.findIndex((n) => (n.title || "") === title || (!n.title && title === "untitled"));
    const li = index >= 0 ? this.list.children[index] : null;
    if (!li) return false;
    li.scrollIntoView({ block: "center", behavior: "smooth" });
    li.classList.add("flash");
    setTimeout(() => li.classList.remove("flash"), 1600);
    return true;
  }

  render() {
    this.count.textContent = this.notes.length ? t("notes.count", { n: this.notes.length }) : "";
    this.list.replaceChildren(...this.notes.map((note) => (note.note_id === this.editing ? this.editor(note) : this.item(note))));
  }

  item(note) {
    const title = note.title || t("notes.untitled");
    return h(
      "li",
      { class: "note", "data-testid": "note", "data-note-id": note.note_id },
      h(
        "div",
        { class: "note-head" },
        h("h4", { class: "note-title" }, title),
        h("time", { class: "note-time" }, fmtTime(note.updated_at)),
      ),
      h("p", { class: "note-text" }, note.text),
      h(
        "div",
        { class: "note-actions" },
        h("button", { type: "button", class: "link-button", "data-testid": "note-edit", "aria-label": t("notes.editNamed", { title }), onclick: () => this.edit(note.note_id) }, t("notes.edit")),
        h("button", { type: "button", class: "link-button danger", "data-testid": "note-delete", "aria-label": t("notes.deleteNamed", { title }), onclick: () => this.remove(note) }, t("notes.delete")),
      ),
    );
  }

  edit(noteId) {
    this.editing = noteId;
    this.render();
    this.list.querySelector(".note-editor textarea")?.focus();
  }

  editor(note) {
    const title = h("input", { type: "text", class: "input", value: note.title || "", maxlength: "200", "aria-label": t("notes.titleLabel") });
    const text = h("textarea", { class: "input", rows: "4", "aria-label": t("notes.textLabel") });
    text.value = note.text;
    const cancel = () => {
      this.editing = null;
      this.render();
    };
    const form = h(
      "form",
      {
        class: "note-editor",
        onsubmit: async (e) => {
          e.preventDefault();
          if (!text.value.trim()) return text.focus();
          try {
            const saved = await api.put(`${this.base()}/${encodeURIComponent(note.note_id)}`, { title: title.value.trim(), text: text.value.trim() });
            this.notes = this.notes.map((n) => (n.note_id === saved.note_id ? saved : n));
            cancel();
          } catch (error) {
            this.onError(error);
          }
        },
        onkeydown: (e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            e.stopPropagation();
            cancel();
          }
        },
      },
      title,
      text,
      h(
        "div",
        { class: "note-actions" },
        h("button", { type: "submit", class: "button primary small", "data-testid": "note-save-edit" }, t("notes.save")),
        h("button", { type: "button", class: "button small", onclick: cancel }, t("notes.cancel")),
      ),
    );
    return h("li", { class: "note editing", "data-testid": "note", "data-note-id": note.note_id }, form);
  }

  async remove(note) {
    const title = note.title || t("notes.untitled");
    if (!(await this.confirm(t("notes.deleteConfirm", { title }), t("notes.delete")))) return;
    try {
      await api.del(`${this.base()}/${encodeURIComponent(note.note_id)}`);
    } catch (error) {
      if (error.status !== 404) return this.onError(error);
    }
    this.notes = this.notes.filter((n) => n.note_id !== note.note_id);
    this.render();
    this.onChange();
  }
}
