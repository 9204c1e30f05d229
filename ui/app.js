// Wires the views together: tabs, live overview, errors. Each view module renders its own part.
import { checkNow, getOverview, onOverview } from "./api.js";
import { $, findByKey, focusKey, onError, showError } from "./dom.js";
import { follow, t } from "./i18n.js";
import { initIncidents, openTimeline, refreshIncidents, rerenderTimeline, setServices } from "./incidents.js";
import { renderNow } from "./now.js";
import { refreshReliability } from "./reliability.js";
import { initSettings, refreshSettings, rerenderSettings, setWebhookStatus } from "./settings.js";
import { initShell, welcomeServices } from "./shell.js";

const VIEWS = ["welcome", "now", "incidents", "timeline", "reliability", "settings"];
let current = "now";
/** Where the open timeline came from: the list's view and its Timeline button's key, for Back. */
let timelineFrom = { view: "incidents", key: null };

onError((error) => {
  const box = $("error");
  const kind = t(`error-kind-${String(error.kind).replaceAll("_", "-")}`);
  box.textContent = t("window-error", { kind, message: error.id ? t(error.id) : error.message });
  box.hidden = false;
});

/** Shows `view`; resolves once a list it fetches is drawn. */
function show(view) {
  current = view;
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== view;
  const tabView = view === "timeline" ? timelineFrom.view : view;
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const selected = tab.dataset.view === tabView;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  document.body.dataset.view = view;
  if (view === "incidents") return refreshIncidents();
  if (view === "reliability") return refreshReliability();
  if (view === "settings") return refreshSettings();
  return Promise.resolve();
}

/** Opens `incident`'s timeline from `opener`, a list's Timeline button; focus goes into it. */
async function openIncident(incident, opener) {
  const from = { view: current, key: focusKey(opener) };
  if (!(await openTimeline(incident))) return;
  timelineFrom = from;
  show("timeline");
  $("timeline").querySelector(".back").focus();
}

/** Back to the list the timeline was opened from, focus on the button that opened it. */
async function back() {
  const { view, key } = timelineFrom;
  await show(view);
  // The list was fetched again: its button is found by key (gone with its row: the view's tab).
  (findByKey($(`view-${view}`), key) ?? document.querySelector("[role=tab][aria-selected=true]")).focus();
}
document.addEventListener("timeline-back", () => back().catch(showError));
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || current !== "timeline" || e.defaultPrevented) return;
  e.preventDefault();
  back().catch(showError);
});

const tabs = [...document.querySelectorAll("[role=tab]")];
for (const tab of tabs) {
  tab.addEventListener("click", () => show(tab.dataset.view));
  // Arrow keys move between tabs, Home and End to the first and last, as in any tab list.
  tab.addEventListener("keydown", (e) => {
    const at = tabs.indexOf(tab);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    // Home and End would scroll the page as well.
    e.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length];
    next.focus();
    show(next.dataset.view);
  });
}

async function render(overview) {
  // Settings may have switched the language: every view is written again in the new one.
  const switched = await follow(overview.lang);
  renderNow(overview, openIncident);
  welcomeServices(overview.services);
  setServices(overview.services);
  setWebhookStatus(overview.webhooks);
  // Lists that come from history follow the live state while they are on screen.
  if (current === "incidents") refreshIncidents();
  if (current === "reliability") refreshReliability();
  if (switched && current === "settings") rerenderSettings();
  if (switched && current === "timeline") rerenderTimeline();
  document.body.dataset.ready = "true";
}

$("check-now").addEventListener("click", () => {
  $("error").hidden = true;
  checkNow().catch(showError);
});

initIncidents(openIncident);
initSettings();
initShell(show).catch(showError);
onOverview((overview) => render(overview).catch(showError)).catch(showError);
follow()
  .then(getOverview)
  .then(render)
  .catch(showError);
