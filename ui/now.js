// The Now view: every service worst first, open incidents and maintenances, and why a page is not read.
import { cancelReminder, remind } from "./api.js";
import { $, ago, button, clock, el, link, replaceKeepingFocus, showError } from "./dom.js";
import { currentLang, healthOrder, impactWords, phaseWords, stateLabel, statusWords, t, weekdayTime, when } from "./i18n.js";

/** Why the last probe round counted for nothing, by the engine's hold name. */
const HOLD_IDS = {
  no_witness: "probe-hold-no-witness",
  offline: "probe-hold-offline",
  slow: "probe-hold-slow",
  inconclusive: "probe-hold-inconclusive",
  settling: "probe-hold-settling",
};

const SVG = "http://www.w3.org/2000/svg";

/** Probe rounds the strip has room for (the engine keeps as many). */
const STRIP_POINTS = 120;

/** The latest probe rounds as bars, newest on the right: height is latency, red is a failing round. */
function latencyStrip(points) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "latency");
  svg.setAttribute("viewBox", `0 0 ${STRIP_POINTS * 3} 20`);
  const offset = Math.max(0, STRIP_POINTS - points.length);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  const answered = points.filter((p) => p.ms !== null).map((p) => p.ms);
  const top = Math.max(...answered, 1);
  const failing = points.filter((p) => p.failing).length;
  svg.setAttribute(
    "aria-label",
    t("probe-strip-label", { count: points.length, failing, ms: answered.length ? Math.max(...answered) : 0 }),
  );
  points.forEach((p, n) => {
    const r = document.createElementNS(SVG, "rect");
    const h = p.failing || p.ms === null ? 20 : Math.max(2, Math.round((20 * p.ms) / top));
    r.setAttribute("x", String((offset + n) * 3));
    r.setAttribute("y", String(20 - h));
    r.setAttribute("width", "2");
    r.setAttribute("height", String(h));
    r.setAttribute("class", p.failing ? "round failing" : "round");
    const title = document.createElementNS(SVG, "title");
    const what = p.failing ? t("probe-round-failing") : p.ms === null ? t("probe-round-no-answer") : t("probe-round-ms", { ms: p.ms });
    title.textContent = t("probe-round", { time: clock(p.at), what });
    r.append(title);
    svg.append(r);
  });
  return svg;
}

function probeDetail(s) {
  const p = s.probe;
  const box = el("div", "probe muted");
  if (p.suspected_since) {
    const warn = el("div", "suspected-line", t("probe-suspected-since", { time: clock(p.suspected_since) }));
    box.append(warn);
    for (const e of p.evidence) box.append(el("div", "evidence", e));
    box.append(el("div", "caveat", t("probe-caveat")));
  } else if (p.hold && HOLD_IDS[p.hold]) {
    box.append(el("div", "hold", t(HOLD_IDS[p.hold])));
  }
  if (p.strip.length) {
    const row = el("div", "probe-row");
    row.append(el("span", "targets", t("probe-targets", { targets: p.targets.join(", ") })), latencyStrip(p.strip));
    box.append(row);
  }
  return box;
}

/**
 * "Tell me when it's back": a button while the service is down or suspected, then the armed
 * state with its Cancel. The engine pushes the overview it changed, which redraws this;
 * the answer is awaited only to show a refusal.
 */
function reminderLine(s) {
  const act = (call) => (event) => {
    const b = event.currentTarget;
    b.disabled = true;
    call(s.id).catch((e) => {
      b.disabled = false;
      showError(e);
    });
  };
  if (s.remind_armed_at) {
    const row = el("div", "remind");
    row.dataset.armed = "true";
    row.append(
      el("span", "muted", t("now-remind-armed", { time: clock(s.remind_armed_at) })),
      button(t("now-remind-cancel"), act(cancelReminder), "remind-cancel"),
    );
    return row;
  }
  if (!s.remindable) return null;
  const row = el("div", "remind");
  const b = button(t("now-remind"), act(remind), "remind-button");
  b.title = t("now-remind-hint");
  row.append(b);
  return row;
}

/** A health value's entry in Rust's list (worst first): its words, whether the page was read. */
const health = (state) => healthOrder().find((h) => h.value === state);
const notRead = (state) => Boolean(health(state)?.failing);

function renderServices(services) {
  const list = healthOrder();
  // Probes' suspicion lifts a service to just under what the pages themselves call trouble.
  const lifted = list.filter((h) => h.trouble).length - 0.5;
  const rank = (s) => {
    const r = list.findIndex((h) => h.value === s.state);
    return s.probe?.suspected_since && r > lifted ? lifted : r;
  };
  const sorted = [...services].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  replaceKeepingFocus(
    $("services"),
    sorted.map((s) => {
      const item = el("li", "service");
      item.dataset.state = s.state;
      item.dataset.service = s.id;
      const suspected = Boolean(s.probe?.suspected_since);
      if (suspected) item.dataset.suspected = "true";
      const state = stateLabel(s.state);
      item.append(
        el("span", "dot"),
        el("span", "name", s.name),
        el("span", "state", suspected ? t("now-state-suspected", { state, suspected: stateLabel("suspected") }) : state),
      );
      const detail = s.error ?? s.description;
      if (detail) {
        const d = el("div", "detail muted", detail);
        d.title = detail;
        item.append(d);
      }
      if (s.page_says && !s.error) {
        const listed = t(health(s.state)?.label ?? "health-unknown");
        item.append(el("div", "detail contradiction", t("now-page-says", { page: statusWords(s.page_says), listed })));
      }
      if (s.probe) item.append(probeDetail(s));
      const reminder = reminderLine(s);
      if (reminder) item.append(reminder);
      return item;
    }),
  );
}

/** One incident card; `onOpen(incident, button)` shows its timeline. */
export function incidentCard(i, onOpen) {
  const item = el("li", i.open ? "incident open" : "incident");
  item.dataset.impact = i.impact;
  item.dataset.incident = i.id;
  const head = el("div", "head");
  head.append(el("span", "service-name", i.service_name), el("span", `badge phase-${i.phase}`, phaseWords(i.phase)));
  head.append(el("span", i.kind === "maintenance" ? "badge" : `badge impact-${i.impact}`, impactWords(i)));
  const title = el("div", "title", i.title);
  title.title = i.title;
  const meta = el("div", "meta muted");
  meta.append(el("span", null, i.open ? t("incident-started", { ago: ago(i.started_at) }) : t("incident-resolved", { ago: ago(i.resolved_at) })));
  if (i.components.length) meta.append(el("span", null, ` · ${i.components.join(", ")}`));
  item.append(head, title, meta);
  const actions = el("div", "actions");
  if (onOpen) {
    const b = el("button", "timeline-button", t("incident-timeline"));
    b.type = "button";
    b.addEventListener("click", () => onOpen(i, b));
    actions.append(b);
  }
  if (i.url) actions.append(link(i.url, t("incident-status-page")));
  item.append(actions);
  return item;
}

function renderBanner(overview) {
  const lines = [...overview.notices];
  if (overview.offline) {
    lines.push(t("banner-offline"));
  } else {
    for (const s of overview.services.filter((s) => notRead(s.state))) {
      const args = { name: s.name, state: stateLabel(s.state), error: s.error };
      lines.push(t(s.error ? "banner-service-error" : "banner-service", args));
    }
  }
  if (overview.paused_until) lines.push(t("banner-paused", { until: weekdayTime(overview.paused_until) }));
  const banner = $("banner");
  banner.replaceChildren(...lines.map((t) => el("div", "banner-line", t)));
  banner.hidden = lines.length === 0;
}

// Every poll sends a new overview; lists are rebuilt only when what they show changed, so
// keyboard focus and a click in progress survive a poll (and a rebuild puts focus back).
const shown = { services: "", open: "" };

export function renderNow(overview, onOpen) {
  renderBanner(overview);
  $("overall").dataset.state = overview.overall;
  // A live region: written again unchanged, it would be read out again on every poll.
  if ($("summary").textContent !== overview.summary) $("summary").textContent = overview.summary;
  // The language is part of what is shown: a switch rebuilds the lists in the new words.
  const services = currentLang() + JSON.stringify(overview.services);
  if (services !== shown.services) {
    shown.services = services;
    renderServices(overview.services);
  }
  const open = overview.incidents.filter((i) => i.open);
  $("no-open").hidden = open.length > 0;
  const openKey = currentLang() + JSON.stringify(open);
  if (openKey !== shown.open) {
    shown.open = openKey;
    replaceKeepingFocus($("open-incidents"), open.map((i) => incidentCard(i, onOpen)));
  }
  $("checked-at").textContent = overview.checked_at ? t("now-last-check", { time: when(overview.checked_at) }) : t("now-not-checked");
}
