// The Incidents view: recent incidents with filters, and one incident's timeline.
import { getTimeline, listIncidents } from "./api.js";
import { $, button, clock, duration, el, label, link, showError, when } from "./dom.js";
import { incidentCard } from "./now.js";

let services = [];

export function setServices(list) {
  services = list;
  const select = $("filter-service");
  const current = select.value;
  select.replaceChildren(el("option", null, "All services"), ...list.map((s) => el("option", null, s.name)));
  select.options[0].value = "";
  list.forEach((s, n) => {
    select.options[n + 1].value = s.id;
  });
  select.value = services.some((s) => s.id === current) ? current : "";
}

function filter() {
  const f = {};
  if ($("filter-service").value) f.service_id = $("filter-service").value;
  if ($("filter-state").value) f.state = $("filter-state").value;
  const text = $("filter-text").value.trim();
  if (text) f.text = text;
  return f;
}

export async function refreshIncidents() {
  try {
    const rows = await listIncidents(filter());
    $("no-incidents").hidden = rows.length > 0;
    $("incidents").replaceChildren(...rows.map((i) => incidentCard(i, openTimeline)));
  } catch (e) {
    showError(e);
  }
}

export async function openTimeline(incident) {
  try {
    const t = await getTimeline(incident.service_id, incident.id);
    renderTimeline(t);
    document.dispatchEvent(new CustomEvent("show-view", { detail: "timeline" }));
  } catch (e) {
    showError(e);
  }
}

function renderTimeline(t) {
  const i = t.incident;
  const box = $("timeline");
  const head = el("div", "timeline-head");
  head.append(el("div", "service-name", i.service_name), el("h3", "title", i.title));
  const facts = el("div", "meta muted");
  const total = t.duration_secs !== null ? `lasted ${duration(t.duration_secs)}` : `open for ${duration((Date.now() - Date.parse(i.started_at)) / 1000)}`;
  facts.textContent = `${label(i.phase)} · ${i.kind === "maintenance" ? "maintenance" : `${i.impact} impact`} · ${when(i.started_at)} · ${total}`;
  head.append(facts);
  if (i.components.length) head.append(el("div", "meta muted", `Affects: ${i.components.join(", ")}`));

  const steps = el("ol", "steps");
  steps.setAttribute("aria-label", "Phases");
  if (t.suspicion) {
    // Our own step comes first: probes failing before the page said anything.
    const li = el("li", "step suspected");
    li.dataset.phase = "suspected";
    li.append(
      el("span", "phase", "Outage Radar: possible outage"),
      el("span", "at", clock(t.suspicion.since)),
      el("span", "gap lead", `${duration(t.suspicion.lead_secs)} before the status page`),
    );
    steps.append(li);
  }
  for (const s of t.steps) {
    const li = el("li", `step phase-${s.phase}`);
    li.dataset.phase = s.phase;
    li.append(el("span", "phase", label(s.phase)), el("span", "at", clock(s.at)));
    if (s.secs_since_previous !== null) li.append(el("span", "gap muted", `+${duration(s.secs_since_previous)}`));
    steps.append(li);
  }

  const updates = el("ol", "updates");
  updates.setAttribute("aria-label", "Updates");
  for (const u of t.updates) {
    const li = el("li", "update");
    li.dataset.phase = u.phase;
    const h = el("div", "update-head");
    h.append(el("span", "badge", label(u.phase)), el("span", "muted", when(u.at)));
    li.append(h, el("p", "body", u.body));
    updates.append(li);
  }
  const actions = el("div", "actions");
  actions.append(button("← Back", () => document.dispatchEvent(new CustomEvent("show-view", { detail: "incidents" }))));
  if (i.url) actions.append(link(i.url, "Official page ↗"));
  box.replaceChildren(actions, head, steps, updates);
}

export function initIncidents() {
  for (const id of ["filter-service", "filter-state"]) $(id).addEventListener("change", refreshIncidents);
  let timer;
  $("filter-text").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refreshIncidents, 200);
  });
}
