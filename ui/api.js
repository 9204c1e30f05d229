// The only module that talks to Tauri: command and event names live here.
const tauri = window.__TAURI__;

const Commands = Object.freeze({
  getOverview: "get_overview",
  checkNow: "check_now",
  openUrl: "open_url",
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
  if (!tauri) throw { kind: "ipc", message: "not running inside Outage Radar" };
  try {
    return await tauri.core.invoke(command, args);
  } catch (e) {
    throw asError(e);
  }
}

export const getOverview = () => call(Commands.getOverview);
export const checkNow = () => call(Commands.checkNow);
export const openUrl = (url) => call(Commands.openUrl, { url });

/** Calls `handler(overview)` on every change; returns a promise of the unlisten function. */
export function onOverview(handler) {
  if (!tauri) return Promise.resolve(() => {});
  return tauri.event.listen(Events.overviewChanged, (event) => handler(event.payload));
}
