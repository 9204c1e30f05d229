// The shell's own messages: the no-tray note and the first start's welcome view.
import { dismissNoTray, getShell } from "./api.js";
import { $, el, showError } from "./dom.js";

/** Fills the welcome's list with the watched services' names (text only). */
export function welcomeServices(services) {
  const list = $("welcome-services");
  list.replaceChildren(...services.map((s) => el("li", "service-name", s.name)));
}

/** Asks the app about the tray and the welcome; `show(view)` switches views. */
export async function initShell(show) {
  $("dismiss-no-tray").addEventListener("click", () => {
    $("no-tray").hidden = true;
    dismissNoTray().catch(showError);
  });
  $("welcome-done").addEventListener("click", () => show("now"));
  $("welcome-settings").addEventListener("click", () => show("settings"));
  const shell = await getShell();
  $("no-tray").hidden = !shell.show_no_tray;
  $("welcome-tray").hidden = shell.tray === false;
  $("welcome-no-tray").hidden = shell.tray !== false;
  if (shell.welcome) show("welcome");
}
