// Every third-party library the page uses, imported in this one place. The paths are
// relative to this module, so the page also works when served under a sub-path.
import { marked } from "../vendor/marked/marked.esm.js";
import DOMPurify from "../vendor/dompurify/purify.es.mjs";
import * as pdfjs from "../vendor/pdfjs-dist/pdf.min.mjs";

const VENDOR = new URL("../vendor/", import.meta.url);

pdfjs.GlobalWorkerOptions.workerSrc = new URL("pdfjs-dist/pdf.worker.min.mjs", VENDOR).href;

// Raw HTML in an answer (a model's output, or text quoted from a PDF) is shown as text,
// never interpreted; DOMPurify still runs over everything marked produces.
marked.use({
  gfm: true,
  renderer: {
    html({ text }) {
      return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    },
  },
});

/** Options for pdfjs.getDocument beyond the URL: the character maps (CJK text in fonts a
 *  PDF does not embed) and the image decoders. The 14 standard fonts are not shipped:
 *  the system's fonts stand in for them. */
export const PDF_OPTIONS = {
  cMapUrl: new URL("pdfjs-dist/cmaps/", VENDOR).href,
  cMapPacked: true,
  wasmUrl: new URL("pdfjs-dist/wasm/", VENDOR).href,
  isEvalSupported: false,
};

export { marked, DOMPurify, pdfjs };
