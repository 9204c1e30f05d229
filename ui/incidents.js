// The Incidents view: recent incidents with filters, and one incident's timeline.
import { getTimeline, listIncidents } from "./api.js";
import { $, button, clock, duration, el, link, replaceKeepingFocus, showError, since, when } from "./dom.js";
import { impactWords, phaseWords, t } from "./i18n.js";
import { incidentCard } from "./now.js";

let services = [];
/** The timeline on screen, written again when the language changes. */
let shownTimeline = null;
/** What a list's Timeline button does: app.js opens the timeline and remembers the button. */
let onOpen = () => {};

export function setServices(list) {
  services = list;
  const select = $("filter-service");
  const current = select.value;
  select.replaceChildren(el("option", null, t("incidents-all-services")), ...list.map((s) => el("option", null, s.name)));
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
    replaceKeepingFocus($("incidents"), rows.map((i) => incidentCard(i, onOpen)));
  } catch (e) {
    showError(e);
  }
}

/** Fetches and draws `incident`'s timeline; false when it could not be read (the error is shown). */
export async function openTimeline(incident) {
  try {
    renderTimeline(await getTimeline(incident.service_id, incident.id));
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}

export function rerenderTimeline() {
  if (shownTimeline) renderTimeline(shownTimeline);
}

function renderTimeline(tl) {
  shownTimeline = tl;
  const i = tl.incident;
  const box = $("timeline");
  const head = el("div", "timeline-head");
  // The panel's name (its aria-labelledby) is this heading.
  const title = el("h3", "title", i.title);
  title.id = "timeline-title";
  head.append(el("div", "service-name", i.service_name), title);
  const facts = el("div", "meta muted");
  const total = tl.duration_secs !== null ? t("timeline-lasted", { duration: duration(tl.duration_secs) }) : t("timeline-open", { since: since(i.started_at) });
  facts.textContent = [phaseWords(i.phase), impactWords(i), when(i.started_at), total].join(" · ");
  head.append(facts);
  if (i.components.length) head.append(el("div", "meta muted", t("affects", { components: i.components.join(", ") })));

  const steps = el("ol", "steps");
  steps.setAttribute("aria-label", t("timeline-phases"));
  if (tl.suspicion) {
    // Our own step comes first: probes failing before the page said anything.
    const li = el("li", "step suspected");
    li.dataset.phase = "suspected";
    li.append(
      el("span", "phase", t("timeline-suspected-step")),
      el("span", "at", clock(tl.suspicion.since)),
      el("span", "gap lead", t("timeline-lead", { duration: duration(tl.suspicion.lead_secs) })),
    );
    steps.append(li);
  }
  for (const s of tl.steps) {
    const li = el("li", `step phase-${s.phase}`);
    li.dataset.phase = s.phase;
    li.append(el("span", "phase", phaseWords(s.phase)), el("span", "at", clock(s.at)));
    if (s.secs_since_previous !== null) li.append(el("span", "gap muted", `+${duration(s.secs_since_previous)}`));
    steps.append(li);
  }

  const updates = el("ol", "updates");
  updates.setAttribute("aria-label", t("timeline-updates"));
  for (const u of tl.updates) {
    const li = el("li", "update");
    li.dataset.phase = u.phase;
    const h = el("div", "update-head");
    h.append(el("span", "badge", phaseWords(u.phase)), el("span", "muted", when(u.at)));
    li.append(h, el("p", "body", u.body));
    updates.append(li);
  }
  const actions = el("div", "actions");
  actions.append(button(t("timeline-back"), () => document.dispatchEvent(new CustomEvent("timeline-back")), "back"));
  if (i.url) actions.append(link(i.url, t("timeline-official-page")));
  // A language switch redraws the timeline under a keyboard user: focus stays on the same control.
  const focused = box.contains(document.activeElement) ? document.activeElement.className : null;
  box.replaceChildren(actions, head, steps, updates);
  if (focused) box.getElementsByClassName(focused)[0]?.focus();
}

/** `open(incident, button)` is what a row's Timeline button does. */
export function initIncidents(open) {
  onOpen = open;
  for (const id of ["filter-service", "filter-state"]) $(id).addEventListener("change", refreshIncidents);
  let timer;
  $("filter-text").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refreshIncidents, 200);
  });
}
