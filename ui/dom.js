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

/** What a keyboard can land on in a list's rows. */
const CONTROLS = "button,a[href],input,select";

/** The rows a control may sit in, by the data attribute that names them across rebuilds. */
const ROW_KEYS = ["incident", "service"];

/**
 * What finds `node` again once its list is rebuilt: its row's key, its class and its place
 * among the row's controls of that class. Null outside a keyed row.
 */
export function focusKey(node) {
  const row = node?.closest?.(ROW_KEYS.map((k) => `[data-${k}]`).join(","));
  if (!row) return null;
  const attr = ROW_KEYS.find((k) => k in row.dataset);
  const control = node.className ? `${node.localName}.${[...node.classList].map(CSS.escape).join(".")}` : node.localName;
  return { attr, value: row.dataset[attr], control, nth: [...row.querySelectorAll(control)].indexOf(node) };
}

/** The control `key` names inside `root`, or the first control of its row when that one changed (Remind became Cancel). */
export function findByKey(root, key) {
  if (!key) return null;
  const row = [...root.querySelectorAll(`[data-${key.attr}]`)].find((r) => r.dataset[key.attr] === key.value);
  if (!row) return null;
  return row.querySelectorAll(key.control)[Math.max(0, key.nth)] ?? row.querySelector(CONTROLS);
}

/**
 * Rebuilds `list` with `items`. A keyboard user whose control is in it keeps focus on the
 * same row's control rather than being dropped to the page's start by the rebuild.
 */
export function replaceKeepingFocus(list, items) {
  const focused = document.activeElement;
  const had = list.contains(focused) && focused !== list;
  const key = had ? focusKey(focused) : null;
  list.replaceChildren(...items);
  if (!had) return;
  const again = findByKey(list, key) ?? list.querySelector(CONTROLS);
  if (again) again.focus();
  // The row and every control of the list are gone: the view's own tab is the nearest place left.
  else document.querySelector("[role=tab][aria-selected=true]")?.focus();
}
