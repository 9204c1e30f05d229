// The only module that talks to Tauri: the command, request and event names live here.
const tauri = window.__TAURI__;

// The shell's two commands: `engine` carries every request below; `open_url` is its own.
const Commands = Object.freeze({
  engine: "engine",
  openUrl: "open_url",
});

// What the window may ask of the engine: the names of Rust's protocol::Request (a test holds
// this table to it), each sent as {command, args}.
const Requests = Object.freeze({
  getOverview: "get_overview",
  checkNow: "check_now",
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
  remind: "remind",
  cancelReminder: "cancel_reminder",
});

const Events = Object.freeze({
  overviewChanged: "overview-changed",
});

/** Errors from Rust arrive as {kind, message}; normalize everything else to that shape. */
function asError(e) {
  if (e && typeof e === "object" && "kind" in e) return e;
  return { kind: "ipc", message: String(e) };
}

async function invoke(command, args) {
  // No catalog without Tauri either: the message id stands in, and the error box shows it.
  if (!tauri) throw { kind: "ipc", message: "error-not-in-app", id: "error-not-in-app" };
  try {
    return await tauri.core.invoke(command, args);
  } catch (e) {
    throw asError(e);
  }
}

/** One request to the engine; `args` as the Rust variant's fields (snake_case). */
const ask = (command, args) => invoke(Commands.engine, { request: args === undefined ? { command } : { command, args } });

export const getOverview = () => ask(Requests.getOverview);
export const checkNow = () => ask(Requests.checkNow);
export const openUrl = (url) => invoke(Commands.openUrl, { url });
/** filter: {service_id?, state?: "open"|"resolved", text?} */
export const listIncidents = (filter) => ask(Requests.listIncidents, { filter });
export const getTimeline = (serviceId, incidentId) =>
  ask(Requests.getTimeline, { service_id: serviceId, incident_id: incidentId });
export const getReliability = () => ask(Requests.getReliability);
export const getSettings = () => ask(Requests.getSettings);
export const saveSettings = (settings) => ask(Requests.saveSettings, { settings });
export const detectUrl = (url) => ask(Requests.detectUrl, { url });
export const getCatalog = () => ask(Requests.getCatalog);
export const setLaunchAtLogin = (enabled) => ask(Requests.setLaunchAtLogin, { enabled });
/** webhook: one entry of settings.webhooks (a new one with its url); resolves to {delivered, message, delivery_id}. */
export const sendTestWebhook = (webhook) => ask(Requests.sendTestWebhook, { webhook });
/** {lang, messages, languages, choices}: the words of the language in force (see i18n.js) and the values the window offers. */
export const getMessages = () => ask(Requests.getMessages);
/** {tray: bool|null, show_no_tray: bool, welcome: bool} */
export const getShell = () => ask(Requests.getShell);
export const dismissNoTray = () => ask(Requests.dismissNoTray);
/** "Tell me when it's back" for a service that is down or suspected; resolves to {service_id, name, reminder, armed_at?}. */
export const remind = (serviceId) => ask(Requests.remind, { service_id: serviceId });
export const cancelReminder = (serviceId) => ask(Requests.cancelReminder, { service_id: serviceId });

/** Calls `handler(overview)` on every change; returns a promise of the unlisten function. */
export function onOverview(handler) {
  if (!tauri) return Promise.resolve(() => {});
  return tauri.event.listen(Events.overviewChanged, (event) => handler(event.payload));
}
