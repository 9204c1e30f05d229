// Wires the views together: tabs, live overview, errors. Each view module renders its own part.
import { checkNow, getOverview, onOverview } from "./api.js";
import { $, onError, showError } from "./dom.js";
import { follow, t } from "./i18n.js";
import { initIncidents, openTimeline, refreshIncidents, rerenderTimeline, setServices } from "./incidents.js";
import { renderNow } from "./now.js";
import { refreshReliability } from "./reliability.js";
import { initSettings, refreshSettings, rerenderSettings, setWebhookStatus } from "./settings.js";
import { initShell, welcomeServices } from "./shell.js";

const VIEWS = ["welcome", "now", "incidents", "timeline", "reliability", "settings"];
let current = "now";

onError((error) => {
  const box = $("error");
  const kind = t(`error-kind-${String(error.kind).replaceAll("_", "-")}`);
  box.textContent = t("window-error", { kind, message: error.id ? t(error.id) : error.message });
  box.hidden = false;
});

function show(view) {
  current = view;
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== view;
  const tabView = view === "timeline" ? "incidents" : view;
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const selected = tab.dataset.view === tabView;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  document.body.dataset.view = view;
  if (view === "incidents") refreshIncidents();
  if (view === "reliability") refreshReliability();
  if (view === "settings") refreshSettings();
}

const tabs = [...document.querySelectorAll("[role=tab]")];
for (const tab of tabs) {
  tab.addEventListener("click", () => show(tab.dataset.view));
  // Arrow keys move between tabs, as in any tab list.
  tab.addEventListener("keydown", (e) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
    if (!step) return;
    const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
    next.focus();
    show(next.dataset.view);
  });
}
document.addEventListener("show-view", (e) => show(e.detail));

async function render(overview) {
  // Settings may have switched the language: every view is written again in the new one.
  const switched = await follow(overview.lang);
  renderNow(overview, openTimeline);
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

initIncidents();
initSettings();
initShell(show).catch(showError);
onOverview((overview) => render(overview).catch(showError)).catch(showError);
follow()
  .then(getOverview)
  .then(render)
  .catch(showError);
