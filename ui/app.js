// Renders the overview. Remote text only ever reaches the DOM through textContent.
import { checkNow, getOverview, onOverview, openUrl } from "./api.js";

const $ = (id) => document.getElementById(id);

const STATE_LABELS = {
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

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function ago(iso) {
  if (!iso) return "";
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

function when(iso) {
  if (!iso) return "time unknown";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "time unknown" : d.toLocaleString();
}

function renderServices(services) {
  const list = $("services");
  const sorted = [...services].sort(
    (a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || a.name.localeCompare(b.name),
  );
  list.replaceChildren(
    ...sorted.map((s) => {
      const item = el("li", "service");
      item.dataset.state = s.state;
      item.dataset.service = s.id;
      item.append(el("span", "dot"), el("span", "name", s.name), el("span", "state", STATE_LABELS[s.state] ?? s.state));
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

function link(url, text) {
  const a = el("a", "link", text);
  // The href is for display only: clicks go through Rust, which opens http(s) in the browser.
  a.href = "#";
  a.title = url;
  a.addEventListener("click", (event) => {
    event.preventDefault();
    openUrl(url).catch(showError);
  });
  return a;
}

function renderIncidents(incidents) {
  $("no-incidents").hidden = incidents.length > 0;
  $("incidents").replaceChildren(
    ...incidents.map((i) => {
      const item = el("li", i.open ? "incident open" : "incident");
      item.dataset.impact = i.impact;
      item.dataset.incident = i.id;
      const head = el("div", "head");
      head.append(el("span", "service-name", i.service_name), el("span", `badge phase-${i.phase}`, i.phase.replace("_", " ")));
      if (i.kind === "maintenance") head.append(el("span", "badge", "maintenance"));
      else head.append(el("span", `badge impact-${i.impact}`, `${i.impact} impact`));
      const title = el("div", "title", i.title);
      const meta = el("div", "meta muted");
      meta.append(el("span", null, i.open ? `started ${ago(i.started_at)}` : `${when(i.started_at)} → ${when(i.resolved_at)}`));
      if (i.components.length) meta.append(el("span", null, ` · ${i.components.join(", ")}`));
      item.append(head, title, meta);
      if (i.url) item.append(link(i.url, "Status page ↗"));
      return item;
    }),
  );
}

function renderBanner(overview) {
  const banner = $("banner");
  let text = "";
  if (overview.offline) {
    text = "Offline: no status page could be reached. Showing the last known state; nothing is announced until the network is back.";
  } else if (overview.paused_until) {
    text = `Notifications paused until ${when(overview.paused_until)}.`;
  }
  banner.textContent = text;
  banner.hidden = text === "";
}

function render(overview) {
  renderBanner(overview);
  $("overall").dataset.state = overview.overall;
  $("summary").textContent = overview.summary;
  renderServices(overview.services);
  renderIncidents(overview.incidents);
  $("checked-at").textContent = overview.checked_at ? `Last check ${when(overview.checked_at)}` : "Not checked yet";
  document.body.dataset.ready = "true";
}

function showError(error) {
  const box = $("error");
  box.textContent = `${error.kind}: ${error.message}`;
  box.hidden = false;
}

$("check-now").addEventListener("click", () => {
  $("error").hidden = true;
  checkNow().catch(showError);
});

onOverview(render).catch(showError);
getOverview().then(render, showError);
