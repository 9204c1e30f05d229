// The Now view: every service worst first, open incidents and maintenances, and why a page is not read.
import { $, ago, el, label, link } from "./dom.js";

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
};

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
  const sorted = [...services].sort(
    (a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || a.name.localeCompare(b.name),
  );
  $("services").replaceChildren(
    ...sorted.map((s) => {
      const item = el("li", "service");
      item.dataset.state = s.state;
      item.dataset.service = s.id;
      item.append(el("span", "dot"), el("span", "name", s.name), el("span", "state", STATE_LABELS[s.state] ?? label(s.state)));
      const detail = s.error ?? s.description;
      if (detail) {
        const d = el("div", "detail muted", detail);
        d.title = detail;
        item.append(d);
      }
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
