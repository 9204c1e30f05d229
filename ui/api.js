// The only module that talks to Tauri: command and event names live here.
const tauri = window.__TAURI__;

const Commands = Object.freeze({
  getOverview: "get_overview",
  checkNow: "check_now",
  openUrl: "open_url",
  listIncidents: "list_incidents",
  getTimeline: "get_timeline",
  getReliability: "get_reliability",
  getSettings: "get_settings",
  saveSettings: "save_settings",
  detectUrl: "detect_url",
  getCatalog: "get_catalog",
  setLaunchAtLogin: "set_launch_at_login",
  sendTestWebhook: "send_test_webhook",
  getMessages: "get_messages",
  getShell: "get_shell",
  dismissNoTray: "dismiss_no_tray",
});

const Events = Object.freeze({
  overviewChanged: "overview-changed",
});

/** Errors from Rust arrive as {kind, message}; normalize everything else to that shape. */
function asError(e) {
  if (e && typeof e === "object" && "kind" in e) return e;
  return { kind: "ipc", message: String(e) };
}

async function call(command, args) {
  // No catalog without Tauri either: the message id stands in, and the error box shows it.
  if (!tauri) throw { kind: "ipc", message: "error-not-in-app", id: "error-not-in-app" };
  try {
    return await tauri.core.invoke(command, args);
  } catch (e) {
    throw asError(e);
  }
}

export const getOverview = () => call(Commands.getOverview);
export const checkNow = () => call(Commands.checkNow);
export const openUrl = (url) => call(Commands.openUrl, { url });
/** filter: {service_id?, state?: "open"|"resolved", text?} */
export const listIncidents = (filter) => call(Commands.listIncidents, { filter });
export const getTimeline = (serviceId, incidentId) => call(Commands.getTimeline, { serviceId, incidentId });
export const getReliability = () => call(Commands.getReliability);
export const getSettings = () => call(Commands.getSettings);
export const saveSettings = (settings) => call(Commands.saveSettings, { settings });
export const detectUrl = (url) => call(Commands.detectUrl, { url });
export const getCatalog = () => call(Commands.getCatalog);
export const setLaunchAtLogin = (enabled) => call(Commands.setLaunchAtLogin, { enabled });
/** webhook: one entry of settings.webhooks (a new one with its url); resolves to {delivered, message, delivery_id}. */
export const sendTestWebhook = (webhook) => call(Commands.sendTestWebhook, { webhook });
/** {lang, messages, languages}: the words of the language in force (see i18n.js). */
export const getMessages = () => call(Commands.getMessages);
/** {tray: bool|null, show_no_tray: bool, welcome: bool} */
export const getShell = () => call(Commands.getShell);
export const dismissNoTray = () => call(Commands.dismissNoTray);

/** Calls `handler(overview)` on every change; returns a promise of the unlisten function. */
export function onOverview(handler) {
  if (!tauri) return Promise.resolve(() => {});
  return tauri.event.listen(Events.overviewChanged, (event) => handler(event.payload));
}
