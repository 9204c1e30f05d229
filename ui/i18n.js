// The window's words: the catalog of the language in force, asked from Rust and rendered as Fluent does.
import { getMessages } from "./api.js";

let lang = "en";
let messages = {};
let languages = [];
/** The values the window's lists offer, from Rust's own types (see `choice`). */
let choiceLists = { health: [], defaults: {} };
let plurals = new Intl.PluralRules("en");
let loaded = false;

/** Past this, "3 days ago" becomes "on 16 June 2020" (as in Rust's i18n/format.rs). */
const DATE_AFTER_DAYS = 7;

/** Fetches the messages of the language in force and writes the page's fixed words in it. */
export async function loadMessages() {
  const m = await getMessages();
  lang = m.lang;
  messages = m.messages;
  languages = m.languages;
  choiceLists = m.choices;
  fillChoiceSelects();
  plurals = new Intl.PluralRules(lang);
  document.documentElement.lang = lang;
  loaded = true;
  translatePage();
}

/** Loads the messages unless those of `tag` are in already; true when the words changed. */
export async function follow(tag) {
  if (loaded && (!tag || tag === lang)) return false;
  await loadMessages();
  return true;
}

/** One list of values, `[{value, label}]` with `label` a message id: `choice("notify")`. */
export const choice = (name) => choiceLists[name] ?? [];
/** What a new service, webhook or quiet-hours setting starts with: `defaultOf("notify")`. */
export const defaultOf = (name) => choiceLists.defaults?.[name] ?? "";
/** Health values, worst first, with `failing` for a page that could not be read. */
export const healthOrder = () => choiceLists.health;

/** Gives every `<select data-choices="…">` of the page its options (their words follow the
 * language through `data-i18n`), keeping the value it had. */
function fillChoiceSelects() {
  for (const node of document.querySelectorAll("select[data-choices]")) {
    const value = node.value;
    node.replaceChildren(
      ...choice(node.dataset.choices).map((c) => {
        const o = document.createElement("option");
        o.value = c.value;
        o.dataset.i18n = c.label;
        return o;
      }),
    );
    if (value) node.value = value;
  }
}

export const currentLang = () => lang;
export const languageChoices = () => languages;

function render(parts, args) {
  let out = "";
  for (const p of parts) {
    if (typeof p === "string") out += p;
    else if ("var" in p) out += p.var in args ? String(args[p.var]) : `{$${p.var}}`;
    else {
      const v = args[p.select];
      // Exact number keys first, then the plural category, then the default: Fluent's order.
      const chosen = typeof v === "number" ? (p.variants[String(v)] ?? p.variants[plurals.select(v)]) : undefined;
      out += render(chosen ?? p.variants[p.default] ?? [], args);
    }
  }
  return out;
}

/** The message `id` with its arguments; a missing id shows itself, never throws. */
export function t(id, args = {}) {
  const parts = messages[id];
  return parts ? render(parts, args) : id;
}

/** Whether the catalog has `id` (for words picked by a value: `format-${format}`). */
export const has = (id) => id in messages;

/** Upper-cases the first letter, for a word that starts a line. */
export function capitalize(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** Fills `data-i18n` (text) and `data-i18n-placeholder|title|aria-label` from the catalog. */
export function translatePage() {
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const attr of ["placeholder", "title", "aria-label"]) {
    const key = `i18n${attr.replace(/(^|-)([a-z])/g, (_, _d, c) => c.toUpperCase())}`;
    for (const node of document.querySelectorAll(`[data-i18n-${attr}]`)) node.setAttribute(attr, t(node.dataset[key]));
  }
}

/** "1 h 12 min", "2 d 3 h", "45 s": seconds under a minute, minutes under a day, rounded down. */
export function duration(secs) {
  if (secs === null || secs === undefined || Number.isNaN(secs)) return "";
  const s = Math.max(0, Math.floor(secs));
  const m = Math.floor(s / 60);
  const h = Math.floor(s / 3600);
  const d = Math.floor(s / 86400);
  if (m === 0) return t("duration-seconds", { s });
  if (h === 0) return t("duration-minutes", { m });
  if (d === 0) return m % 60 ? t("duration-hours-minutes", { h, m: m % 60 }) : t("duration-hours", { h });
  return h % 24 ? t("duration-days-hours", { d, h: h % 24 }) : t("duration-days", { d });
}

const two = (n) => String(n).padStart(2, "0");

function parse(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "16 June 2020", "1er juin 2020", on the user's calendar. */
export function dateOf(d) {
  const month = t("month", { month: d.getMonth() + 1 });
  return t("date", { day: d.getDate(), month, year: d.getFullYear() });
}

/** A calendar day given as "2020-06-16" (the reliability strip's days). */
export function day(ymd) {
  const [y, m, d] = String(ymd).split("-").map(Number);
  return y && m && d ? dateOf(new Date(y, m - 1, d)) : String(ymd);
}

/** "08:05", 24-hour in every language. */
export function clock(iso) {
  const d = parse(iso);
  return d ? t("clock", { hh: two(d.getHours()), mm: two(d.getMinutes()) }) : "--:--";
}

/** "16 June 2020, 14:05", "16 juin 2020 à 14:05". */
export function when(iso) {
  const d = parse(iso);
  return d ? t("date-time", { date: dateOf(d), time: clock(iso) }) : t("time-unknown");
}

/** "Thu 08:00", "jeudi 08:00": a time within the coming week. */
export function weekdayTime(iso) {
  const d = parse(iso);
  if (!d) return t("time-unknown");
  return t("weekday-time", { weekday: t("weekday", { weekday: d.getDay() || 7 }), time: clock(iso) });
}

/** "just now", "3 min ago", "2 days ago", and past a week "on 16 June 2020". */
export function ago(iso) {
  const d = parse(iso);
  if (!d) return "";
  const secs = Math.max(0, (Date.now() - d.getTime()) / 1000);
  if (secs < 60) return t("time-just-now");
  if (secs < 86400) return t("time-ago", { duration: duration(secs) });
  if (secs < DATE_AFTER_DAYS * 86400) return t("time-days-ago", { days: Math.floor(secs / 86400) });
  return t("time-on-date", { date: dateOf(d) });
}

/** "for 19 h 2 min", and past a week "since 16 June 2020". */
export function since(iso) {
  const d = parse(iso);
  if (!d) return "";
  const secs = Math.max(0, (Date.now() - d.getTime()) / 1000);
  if (secs < DATE_AFTER_DAYS * 86400) return t("time-for", { duration: duration(secs) });
  return t("time-since-date", { date: dateOf(d) });
}

/** "99.95 %", "99,95 %". */
export function percent(value, decimals) {
  const written = value.toFixed(decimals);
  const mark = t("decimal-mark");
  return t("percent", { value: mark === "." ? written : written.replace(".", mark) });
}

/** The window's word for a service state (`partial_outage`, `unreachable`…), capitalized. */
export const stateLabel = (state) => t(`state-${String(state).replaceAll("_", "-")}`);

/** A page's own state inside a sentence: "partial outage". */
export const statusWords = (status) => t(`status-${String(status).replaceAll("_", "-")}`);

/** Where an incident stands: "investigating". */
export const phaseWords = (phase) => t(`phase-${String(phase).replaceAll("_", "-")}`);

/** "major impact", or "maintenance" for a maintenance. */
export function impactWords(incident) {
  if (incident.kind === "maintenance") return t("kind-maintenance");
  return t("impact-phrase", { impact: t(`impact-${incident.impact}`) });
}
