// The Now view: every service worst first, open incidents and maintenances, and why a page is not read.
import { $, ago, clock, el, label, link } from "./dom.js";

export const STATE_LABELS = {
  operational: "Operational",
  maintenance: "Maintenance",
  degraded: "Degraded",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  unreachable: "Unreachable",
  stale: "No data for a while",
  changed_format: "Page changed format",
  unknown: "Not checked yet",
  offline: "Offline",
  suspected: "Possible outage",
};

const HOLD_WORDS = {
  no_witness: "Probes cannot be judged: no other address to compare with, so your own network could be the cause.",
  offline: "Probes failed along with everything else: your network, not theirs.",
  slow: "Probes answer, but far slower than usual.",
  inconclusive: "Probes are rate-limited: no verdict this round.",
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
    `Last ${points.length} probe rounds: ${failing} failing, slowest ${answered.length ? Math.max(...answered) : 0} ms`,
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
    title.textContent = `${clock(p.at)}: ${p.failing ? "failing" : p.ms === null ? "no answer" : `${p.ms} ms`}`;
    r.append(title);
    svg.append(r);
  });
  return svg;
}

function probeDetail(s) {
  const p = s.probe;
  const box = el("div", "probe muted");
  if (p.suspected_since) {
    const warn = el("div", "suspected-line", `Possible outage, not on its status page yet — since ${clock(p.suspected_since)}`);
    box.append(warn);
    for (const e of p.evidence) box.append(el("div", "evidence", e));
    box.append(el("div", "caveat", "Probes without a key see the front door only: an outage behind it can still be missed."));
  } else if (p.hold && HOLD_WORDS[p.hold]) {
    box.append(el("div", "hold", HOLD_WORDS[p.hold]));
  }
  if (p.strip.length) {
    const row = el("div", "probe-row");
    row.append(el("span", "targets", `Probes: ${p.targets.join(", ")}`), latencyStrip(p.strip));
    box.append(row);
  }
  return box;
}

const STATE_ORDER = [
  "major_outage",
  "partial_outage",
  "degraded",
  "changed_format",
  "stale",
  "unreachable",
  "maintenance",
  "unknown",
  "operational",
];

const NOT_READ = new Set(["changed_format", "stale", "unreachable"]);

function renderServices(services) {
  const rank = (s) => (s.probe?.suspected_since && STATE_ORDER.indexOf(s.state) > 2 ? 2.5 : STATE_ORDER.indexOf(s.state));
  const sorted = [...services].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  $("services").replaceChildren(
    ...sorted.map((s) => {
      const item = el("li", "service");
      item.dataset.state = s.state;
      item.dataset.service = s.id;
      const suspected = Boolean(s.probe?.suspected_since);
      if (suspected) item.dataset.suspected = "true";
      const state = STATE_LABELS[s.state] ?? label(s.state);
      item.append(
        el("span", "dot"),
        el("span", "name", s.name),
        el("span", "state", suspected ? `${state} · ${STATE_LABELS.suspected}` : state),
      );
      const detail = s.error ?? s.description;
      if (detail) {
        const d = el("div", "detail muted", detail);
        d.title = detail;
        item.append(d);
      }
      if (s.page_says && !s.error) {
        item.append(el("div", "detail contradiction", `The page itself says ${STATE_LABELS[s.page_says].toLowerCase()}, but what it lists says ${state.toLowerCase()}.`));
      }
      if (s.probe) item.append(probeDetail(s));
      return item;
    }),
  );
}

/** One incident card; `onOpen` shows its timeline. */
export function incidentCard(i, onOpen) {
  const item = el("li", i.open ? "incident open" : "incident");
  item.dataset.impact = i.impact;
  item.dataset.incident = i.id;
  const head = el("div", "head");
  head.append(el("span", "service-name", i.service_name), el("span", `badge phase-${i.phase}`, label(i.phase)));
  if (i.kind === "maintenance") head.append(el("span", "badge", "maintenance"));
  else head.append(el("span", `badge impact-${i.impact}`, `${i.impact} impact`));
  const title = el("div", "title", i.title);
  title.title = i.title;
  const meta = el("div", "meta muted");
  meta.append(el("span", null, i.open ? `started ${ago(i.started_at)}` : `resolved ${ago(i.resolved_at)}`));
  if (i.components.length) meta.append(el("span", null, ` · ${i.components.join(", ")}`));
  item.append(head, title, meta);
  const actions = el("div", "actions");
  if (onOpen) {
    const b = el("button", "timeline-button", "Timeline");
    b.type = "button";
    b.addEventListener("click", () => onOpen(i));
    actions.append(b);
  }
  if (i.url) actions.append(link(i.url, "Status page ↗"));
  item.append(actions);
  return item;
}

function renderBanner(overview) {
  const lines = [...overview.notices];
  if (overview.offline) {
    lines.push("Offline: no status page could be reached. Showing the last known state; nothing is announced until the network is back.");
  } else {
    for (const s of overview.services.filter((s) => NOT_READ.has(s.state))) {
      lines.push(`${s.name}: ${STATE_LABELS[s.state]}${s.error ? ` — ${s.error}` : ""}`);
    }
  }
  if (overview.paused_until) lines.push(`Notifications paused until ${new Date(overview.paused_until).toLocaleString()}.`);
  const banner = $("banner");
  banner.replaceChildren(...lines.map((t) => el("div", "banner-line", t)));
  banner.hidden = lines.length === 0;
}

// Every poll sends a new overview; lists are rebuilt only when what they show changed, so
// keyboard focus and a click in progress survive a poll.
const shown = { services: "", open: "" };

export function renderNow(overview, onOpen) {
  renderBanner(overview);
  $("overall").dataset.state = overview.overall;
  $("summary").textContent = overview.summary;
  const services = JSON.stringify(overview.services);
  if (services !== shown.services) {
    shown.services = services;
    renderServices(overview.services);
  }
  const open = overview.incidents.filter((i) => i.open);
  $("no-open").hidden = open.length > 0;
  const openKey = JSON.stringify(open);
  if (openKey !== shown.open) {
    shown.open = openKey;
    $("open-incidents").replaceChildren(...open.map((i) => incidentCard(i, onOpen)));
  }
  $("checked-at").textContent = overview.checked_at
    ? `Last check ${new Date(overview.checked_at).toLocaleString()}`
    : "Not checked yet";
}
