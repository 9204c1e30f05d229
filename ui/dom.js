// DOM helpers shared by the views. Remote text only ever reaches the DOM through textContent.
import { openUrl } from "./api.js";

export const $ = (id) => document.getElementById(id);

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// Times and durations are written in the catalog's words (i18n.js); the views import them here.
export { ago, clock, duration, since, when } from "./i18n.js";

let errorHandler = () => {};
export function onError(handler) {
  errorHandler = handler;
}
export function showError(error) {
  errorHandler(error);
}

/** A link whose click goes through Rust, which opens only http(s) in the system browser. */
export function link(url, text) {
  const a = el("a", "link", text);
  a.href = "#";
  a.title = url;
  a.addEventListener("click", (event) => {
    event.preventDefault();
    openUrl(url).catch(showError);
  });
  return a;
}

export function button(text, onClick, className) {
  const b = el("button", className, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}
