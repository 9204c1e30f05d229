// DOM helpers shared by the views. Remote text only ever reaches the DOM through textContent.
import { openUrl } from "./api.js";

export const $ = (id) => document.getElementById(id);

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** "1 h 12 min", "3 d 4 h", "45 s". */
export function duration(secs) {
  if (secs === null || secs === undefined || Number.isNaN(secs)) return "";
  const s = Math.max(0, Math.round(secs));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export function ago(iso) {
  if (!iso) return "";
  const secs = (Date.now() - Date.parse(iso)) / 1000;
  if (Number.isNaN(secs)) return "";
  return secs < 60 ? "just now" : `${duration(secs)} ago`;
}

export function when(iso) {
  if (!iso) return "time unknown";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "time unknown" : d.toLocaleString();
}

export function clock(iso) {
  if (!iso) return "--:--";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "--:--" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function label(value) {
  return String(value ?? "").replaceAll("_", " ");
}

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
