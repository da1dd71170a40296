// Every string of the interface, in English and Simplified Chinese.
//
// The language follows navigator.language (zh* → Chinese) until the user picks one,
// which is remembered. Static text in index.html is marked with data-i18n (text),
// data-i18n-placeholder and data-i18n-aria-label; modules call t(key, vars).

const STRINGS = {
  en: {
    skip: "Skip to the board",
    "jump.label": "Sections",
    "jump.board": "Board",
    "jump.chat": "Ask",
    "lang.label": "Language",
    "boards.heading": "Boards",
    "boards.nav": "Boards",
    "boards.newLabel": "New board name",
    "boards.newPlaceholder": "New board…",
    "boards.create": "Create",
    "boards.empty": "No boards yet. Name one above to start.",
    "boards.meta": "{files} · {notes}",
    "boards.files": { one: "{n} file", other: "{n} files" },
    "boards.notes": { one: "{n} note", other: "{n} notes" },
    "boards.answering": "answering",
    "boards.created": "Board “{name}” created.",
    "welcome.title": "Put your PDFs on a board, then ask.",
    "welcome.text":
      "Create a board or pick one on the left. Upload PDFs, read them page by page, and ask the board's expert: every answer cites the file and page it comes from.",
    "board.renameLabel": "Board name",
    "board.rename": "Rename",
    "board.save": "Save",
    "board.cancel": "Cancel",
    "board.delete": "Delete board",
    "board.deleteConfirm": "Delete the board “{name}” with all its files, notes and history? This cannot be undone.",
    "board.deleted": "The board “{name}” was deleted.",
    "board.gone": "This board no longer exists.",
    "board.feedReconnecting": "Live updates interrupted, reconnecting…",
    "files.heading": "Files",
    "files.upload": "Upload PDFs",
    "files.drop": "Drop PDFs here to add them to this board.",
    "files.count": { one: "{n} file", other: "{n} files" },
    "files.pages": { one: "{n} page", other: "{n} pages" },
    "files.open": "Open {name}",
    "files.delete": "Delete {name}",
    "files.deleteButton": "Delete",
    "files.deleteConfirm": "Delete “{name}” from this board?",
    "files.status.processing": "Extracting text…",
    "files.status.ready": "Ready",
    "files.status.failed": "Failed",
    "files.progress": "Extracting text · page {page} of {pages}",
    "files.extracting": "Text extraction of {name}",
    "files.failedUnknown": "The text could not be extracted.",
    "files.scanned": "Scanned: its pages have no text layer, so the expert cannot read or cite it.",
    "files.blankPages": {
      one: "Page {pages} has no text layer (scanned), so nothing on it can be found.",
      other: "{n} pages have no text layer (scanned), so nothing on them can be found: p. {pages}.",
    },
    "upload.progress": "Uploading · {pct}%",
    "upload.waiting": "Waiting to upload…",
    "upload.failed": "Upload failed",
    "upload.notPdf": "Not a PDF: only PDF files can be added.",
    "upload.empty": "The file is empty.",
    "upload.cancelled": "Upload cancelled",
    "upload.progressLabel": "Upload of {name}",
    "upload.cancel": "Cancel the upload of {name}",
    "upload.dismiss": "Dismiss {name}",
    "viewer.heading": "Reader",
    "viewer.nav": "Page navigation",
    "viewer.prev": "Previous page",
    "viewer.next": "Next page",
    "viewer.page": "Page",
    "viewer.of": "of {n}",
    "viewer.empty": "Open a file to read it here, or follow a citation in an answer.",
    "viewer.textTitle": "Extracted text",
    "viewer.canvas": "Page {page} of {file}",
    "viewer.canvasNav": "Page {page} of {pages}, {file}. Arrow keys turn the page.",
    "viewer.pdfFailed": "This PDF cannot be displayed: {message}",
    "viewer.textPending": "The text of this page is still being extracted…",
    "viewer.textFailed": "No text: the file failed ({error}).",
    "viewer.noText": "No text on this page: it may be a scan without a text layer.",
    "viewer.opened": "Opened {file}, page {page}.",
    "viewer.notFound": "“{file}” is not on this board any more.",
    "notes.heading": "Notes",
    "notes.count": { one: "{n} note", other: "{n} notes" },
    "notes.titleLabel": "Note title",
    "notes.textLabel": "Note text",
    "notes.titlePlaceholder": "Title (optional)",
    "notes.textPlaceholder": "Write a note the expert will read too",
    "notes.add": "Add note",
    "notes.untitled": "Untitled",
    "notes.edit": "Edit",
    "notes.editNamed": "Edit note {title}",
    "notes.delete": "Delete",
    "notes.deleteNamed": "Delete note {title}",
    "notes.deleteConfirm": "Delete the note “{title}”?",
    "notes.save": "Save",
    "notes.cancel": "Cancel",
    "chat.label": "Questions",
    "tab.expert": "Board expert",
    "tab.assistant": "Assistant",
    "chat.questionLabel": "Ask the board's expert",
    "chat.ask": "Ask",
    "chat.stop": "Stop",
    "chat.stopping": "Stopping…",
    "chat.hint": "Enter to ask · Shift+Enter for a new line · Esc to stop",
    "conn.connecting": "Connecting…",
    "conn.open": "Live",
    "conn.reconnecting": "Connection lost, reconnecting…",
    "expert.title": "Expert of “{name}”",
    "expert.titleNone": "Board expert",
    "expert.empty": "Ask anything about the files and notes on “{name}”. Answers cite the page they come from.",
    "expert.noBoard": "Pick a board to ask its expert.",
    "expert.placeholder": "What would you like to know?",
    "expert.clear": "Clear history",
    "expert.clearConfirm": "Clear the expert's history on “{name}”?",
    "assistant.title": "Assistant · every board",
    "assistant.questionLabel": "Ask the assistant",
    "assistant.placeholder": "Which board covers hiring? Create a board named …",
    "assistant.empty":
      "The assistant knows every board: ask where something is, compare boards, or have it create, rename or delete a board (you confirm first).",
    "assistant.clear": "Clear",
    "assistant.clearConfirm": "Clear the assistant's conversation in this browser?",
    "answer.steps": "Steps",
    "answer.stepsCount": { one: "{n} step · {time}", other: "{n} steps · {time}" },
    "answer.sources": "Sources",
    "answer.thinking": "Working on the answer…",
    "answer.done": "Answered",
    "answer.doneIn": "Answered in {time}",
    "answer.cut": "cut short ({reason})",
    "answer.empty": "The answer is empty.",
    "answer.stopped": "Stopped",
    "answer.interrupted": "Interrupted: this answer was cut short.",
    "answer.failed": "The answer failed.",
    "answer.retry": "Retry",
    "cancel.disconnect": "no one was reading",
    "cancel.shutdown": "the service was shutting down",
    "cancel.timeout": "it was not picked up in time",
    "cancel.unknown": "ended",
    "cite.page": "{file}, page {page}",
    "cite.note": "Note: {title}",
    "cite.noteShort": "note:",
    "command.proposed": "Proposed change",
    "command.create": "Create board “{name}”",
    "command.rename": "Rename board “{old}” to “{name}”",
    "command.delete": "Delete board “{name}”",
    "command.unknown": "Unknown action {action}",
    "command.confirm": "Confirm",
    "command.dismiss": "Dismiss",
    "command.dismissed": "Not carried out.",
    "command.done.create_board": "Done: board “{name}” created.",
    "command.done.rename_board": "Done: board renamed to “{name}”.",
    "command.done.delete_board": "Done: board deleted.",
    "token.title": "API token",
    "token.text": "This Boardroom asks for an API token. It is kept in this browser.",
    "token.label": "Token",
    "token.submit": "Continue",
    "confirm.cancel": "Cancel",
    "confirm.ok": "OK",
    "toast.dismiss": "Dismiss this message",
    "error.network": "The service cannot be reached. Check that it is running.",
    "error.http": "The request failed (HTTP {status}).",
    "error.retryAfter": "Try again in {s} s.",
    "time.ms": "{n} ms",
    "time.s": "{n} s",
  },
  zh: {
    skip: "跳到看板内容",
    "jump.label": "页面区域",
    "jump.board": "看板",
    "jump.chat": "提问",
    "lang.label": "语言",
    "boards.heading": "看板",
    "boards.nav": "看板",
    "boards.newLabel": "新看板名称",
    "boards.newPlaceholder": "新看板…",
    "boards.create": "创建",
    "boards.empty": "还没有看板。在上方输入名称来创建第一个。",
    "boards.meta": "{files} · {notes}",
    "boards.files": { other: "{n} 个文件" },
    "boards.notes": { other: "{n} 条笔记" },
    "boards.answering": "正在回答",
    "boards.created": "已创建看板“{name}”。",
    "welcome.title": "把 PDF 放到看板上，然后提问。",
    "welcome.text": "在左侧创建或选择一个看板。上传 PDF，逐页阅读，并向看板专家提问：每个回答都会注明出处的文件和页码。",
    "board.renameLabel": "看板名称",
    "board.rename": "重命名",
    "board.save": "保存",
    "board.cancel": "取消",
    "board.delete": "删除看板",
    "board.deleteConfirm": "删除看板“{name}”及其全部文件、笔记和历史记录？此操作无法撤销。",
    "board.deleted": "看板“{name}”已删除。",
    "board.gone": "这个看板已不存在。",
    "board.feedReconnecting": "实时更新中断，正在重新连接…",
    "files.heading": "文件",
    "files.upload": "上传 PDF",
    "files.drop": "将 PDF 拖放到这里，添加到此看板。",
    "files.count": { other: "{n} 个文件" },
    "files.pages": { other: "{n} 页" },
    "files.open": "打开 {name}",
    "files.delete": "删除 {name}",
    "files.deleteButton": "删除",
    "files.deleteConfirm": "从此看板删除“{name}”？",
    "files.status.processing": "正在提取文本…",
    "files.status.ready": "就绪",
    "files.status.failed": "失败",
    "files.progress": "正在提取文本 · 第 {page}/{pages} 页",
    "files.extracting": "{name} 的文本提取进度",
    "files.failedUnknown": "无法提取文本。",
    "files.scanned": "扫描件：页面没有文字层，专家无法阅读或引用它。",
    "files.blankPages": { other: "有 {n} 页没有文字层（扫描页），其中的内容无法被检索：第 {pages} 页。" },
    "upload.progress": "正在上传 · {pct}%",
    "upload.waiting": "等待上传…",
    "upload.failed": "上传失败",
    "upload.notPdf": "不是 PDF：只能添加 PDF 文件。",
    "upload.empty": "文件是空的。",
    "upload.cancelled": "已取消上传",
    "upload.progressLabel": "{name} 的上传进度",
    "upload.cancel": "取消上传 {name}",
    "upload.dismiss": "移除 {name}",
    "viewer.heading": "阅读器",
    "viewer.nav": "翻页",
    "viewer.prev": "上一页",
    "viewer.next": "下一页",
    "viewer.page": "页码",
    "viewer.of": "共 {n} 页",
    "viewer.empty": "打开一个文件在这里阅读，或点击回答中的引用。",
    "viewer.textTitle": "提取的文本",
    "viewer.canvas": "{file} 第 {page} 页",
    "viewer.canvasNav": "{file}，第 {page} 页，共 {pages} 页。用方向键翻页。",
    "viewer.pdfFailed": "无法显示此 PDF：{message}",
    "viewer.textPending": "此页的文本仍在提取中…",
    "viewer.textFailed": "没有文本：文件处理失败（{error}）。",
    "viewer.noText": "此页没有文本：可能是没有文字层的扫描件。",
    "viewer.opened": "已打开 {file} 第 {page} 页。",
    "viewer.notFound": "“{file}”已不在此看板上。",
    "notes.heading": "笔记",
    "notes.count": { other: "{n} 条笔记" },
    "notes.titleLabel": "笔记标题",
    "notes.textLabel": "笔记内容",
    "notes.titlePlaceholder": "标题（可选）",
    "notes.textPlaceholder": "写一条笔记，专家也会阅读",
    "notes.add": "添加笔记",
    "notes.untitled": "无标题",
    "notes.edit": "编辑",
    "notes.editNamed": "编辑笔记 {title}",
    "notes.delete": "删除",
    "notes.deleteNamed": "删除笔记 {title}",
    "notes.deleteConfirm": "删除笔记“{title}”？",
    "notes.save": "保存",
    "notes.cancel": "取消",
    "chat.label": "提问",
    "tab.expert": "看板专家",
    "tab.assistant": "助手",
    "chat.questionLabel": "向看板专家提问",
    "chat.ask": "提问",
    "chat.stop": "停止",
    "chat.stopping": "正在停止…",
    "chat.hint": "Enter 提问 · Shift+Enter 换行 · Esc 停止",
    "conn.connecting": "正在连接…",
    "conn.open": "实时",
    "conn.reconnecting": "连接中断，正在重新连接…",
    "expert.title": "“{name}”的专家",
    "expert.titleNone": "看板专家",
    "expert.empty": "可以就“{name}”上的文件和笔记提出任何问题。回答会注明出处页码。",
    "expert.noBoard": "选择一个看板来向它的专家提问。",
    "expert.placeholder": "你想了解什么？",
    "expert.clear": "清除历史",
    "expert.clearConfirm": "清除“{name}”上专家的历史记录？",
    "assistant.title": "助手 · 所有看板",
    "assistant.questionLabel": "向助手提问",
    "assistant.placeholder": "哪个看板讲到招聘？创建一个名为……的看板",
    "assistant.empty": "助手了解所有看板：问它内容在哪里、比较不同看板，或让它创建、重命名、删除看板（需要你先确认）。",
    "assistant.clear": "清除",
    "assistant.clearConfirm": "清除此浏览器中与助手的对话？",
    "answer.steps": "步骤",
    "answer.stepsCount": { other: "{n} 个步骤 · {time}" },
    "answer.sources": "来源",
    "answer.thinking": "正在生成回答…",
    "answer.done": "已回答",
    "answer.doneIn": "用时 {time}",
    "answer.cut": "回答被截断（{reason}）",
    "answer.empty": "回答为空。",
    "answer.stopped": "已停止",
    "answer.interrupted": "已中断：这个回答没有完成。",
    "answer.failed": "回答失败。",
    "answer.retry": "重试",
    "cancel.disconnect": "没有读者在线",
    "cancel.shutdown": "服务正在关闭",
    "cancel.timeout": "未能及时开始",
    "cancel.unknown": "已结束",
    "step.received": "已收到问题",
    "step.context": "检索资料",
    "step.engine": "开始生成",
    "step.first_token": "开始输出",
    "step.finished": "回答完成",
    "step.retry": "重试",
    "step.tool": "调用工具 {name}",
    "cite.page": "{file}，第 {page} 页",
    "cite.note": "笔记：{title}",
    "cite.noteShort": "笔记：",
    "command.proposed": "建议的操作",
    "command.create": "创建看板“{name}”",
    "command.rename": "将看板“{old}”重命名为“{name}”",
    "command.delete": "删除看板“{name}”",
    "command.unknown": "未知操作 {action}",
    "command.confirm": "确认",
    "command.dismiss": "忽略",
    "command.dismissed": "未执行。",
    "command.done.create_board": "完成：已创建看板“{name}”。",
    "command.done.rename_board": "完成：看板已重命名为“{name}”。",
    "command.done.delete_board": "完成：看板已删除。",
    "token.title": "API 令牌",
    "token.text": "此 Boardroom 需要 API 令牌。令牌会保存在此浏览器中。",
    "token.label": "令牌",
    "token.submit": "继续",
    "confirm.cancel": "取消",
    "confirm.ok": "确定",
    "toast.dismiss": "关闭此消息",
    "error.network": "无法连接到服务，请确认它正在运行。",
    "error.http": "请求失败（HTTP {status}）。",
    "error.retryAfter": "请在 {s} 秒后重试。",
    "time.ms": "{n} 毫秒",
    "time.s": "{n} 秒",
  },
};

const LANG_KEY = "boardroom.lang";
const listeners = new Set();

function initialLang() {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved && saved in STRINGS) return saved;
  } catch {
    // Storage unavailable.
  }
  const wanted = navigator.languages?.length ? navigator.languages : [navigator.language || "en"];
  return String(wanted[0] || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
}

let lang = initialLang();
let plural = new Intl.PluralRules(lang === "zh" ? "zh-CN" : "en");

export function getLang() {
  return lang;
}

/** The BCP 47 tag for <html lang> and Intl. */
export function langTag() {
  return lang === "zh" ? "zh-CN" : "en";
}

export function setLang(next, { remember = true } = {}) {
  if (!(next in STRINGS)) return;
  lang = next;
  plural = new Intl.PluralRules(langTag());
  if (remember) {
    try {
      localStorage.setItem(LANG_KEY, next);
    } catch {
      // Not remembered, still applied.
    }
  }
  document.documentElement.lang = langTag();
  applyI18n(document);
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.add(fn);
}

/** The string for `key` with {placeholders} filled; the key itself if unknown. */
export function t(key, vars = {}) {
  let entry = STRINGS[lang][key] ?? STRINGS.en[key];
  if (entry === undefined) return key;
  if (typeof entry === "object") {
    const n = Number(vars.n ?? 0);
    entry = entry[plural.select(n)] ?? entry.other;
  }
  return entry.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** Fill the static text of `root` from its data-i18n attributes. */
export function applyI18n(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-aria-label]")) el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
}

export function fmtMs(ms) {
  const n = Number(ms) || 0;
  if (n < 1000) return t("time.ms", { n: Math.round(n) });
  return t("time.s", { n: (n / 1000).toLocaleString(langTag(), { maximumFractionDigits: 1 }) });
}

export function fmtTime(seconds) {
  if (!seconds) return "";
  const date = new Date(seconds * 1000);
  const today = new Date().toDateString() === date.toDateString();
  const options = today ? { hour: "2-digit", minute: "2-digit" } : { dateStyle: "medium", timeStyle: "short" };
  return new Intl.DateTimeFormat(langTag(), options).format(date);
}

export function fmtBytes(bytes) {
  const n = Number(bytes) || 0;
  const units = ["B", "KB", "MB", "GB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toLocaleString(langTag(), { maximumFractionDigits: digits })} ${units[unit]}`;
}
