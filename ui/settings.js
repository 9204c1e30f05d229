// The Settings view: services (from the catalog or a pasted URL), per-service alerts, quiet hours, polling, webhooks.
import { detectUrl, getCatalog, getSettings, saveSettings, sendTestWebhook, setLaunchAtLogin } from "./api.js";
import { $, ago, button, el, showError } from "./dom.js";

let draft = null;
let catalog = [];
/** How each webhook target is doing, by key, from the overview. */
let webhookStatus = new Map();

function select(options, value, onChange, labelText) {
  const s = el("select");
  s.setAttribute("aria-label", labelText);
  for (const [v, text] of options) {
    const o = el("option", null, text);
    o.value = v;
    s.append(o);
  }
  s.value = value;
  s.addEventListener("change", () => onChange(s.value));
  return s;
}

function setStatus(text, bad) {
  const s = $("settings-status");
  s.textContent = text;
  s.classList.toggle("bad", Boolean(bad));
}

function changed() {
  setStatus("Unsaved changes");
}

function serviceRow(svc, index) {
  const li = el("li", "setting-service");
  li.dataset.service = svc.name;
  const head = el("div", "row");
  const enabled = el("input");
  enabled.type = "checkbox";
  enabled.checked = svc.enabled;
  enabled.setAttribute("aria-label", `Watch ${svc.name}`);
  enabled.addEventListener("change", () => {
    svc.enabled = enabled.checked;
    changed();
  });
  const name = el("span", "name", svc.name);
  const fmt = el("span", "badge", svc.format);
  const remove = button("Remove", () => {
    draft.services.splice(index, 1);
    renderServices();
    changed();
  }, "remove");
  remove.setAttribute("aria-label", `Remove ${svc.name}`);
  head.append(enabled, name, fmt, remove);
  const url = el("div", "muted detail", svc.url);
  url.title = svc.url;
  const opts = el("div", "row wrap");
  opts.append(
    select([["all", "All incidents"], ["major", "Major and worse"], ["muted", "Muted"]], svc.notify, (v) => {
      svc.notify = v;
      changed();
    }, `Notify for ${svc.name}`),
    select([["all", "Every update"], ["begin_end", "Begin and end only"]], svc.updates, (v) => {
      svc.updates = v;
      changed();
    }, `Updates for ${svc.name}`),
  );
  const comps = el("input", "components");
  comps.type = "text";
  comps.placeholder = "Components to follow (comma-separated; empty = all)";
  comps.setAttribute("aria-label", `Components of ${svc.name}`);
  comps.value = svc.components.join(", ");
  comps.addEventListener("change", () => {
    svc.components = comps.value.split(",").map((c) => c.trim()).filter(Boolean);
    changed();
  });
  li.append(head, url, opts, comps);
  const catalogProbes = catalog.find((e) => e.name.toLowerCase() === svc.name.toLowerCase())?.probes ?? [];
  const probes = svc.probes ?? catalogProbes;
  if (probes.length || catalogProbes.length) {
    const probe = el("input");
    probe.type = "checkbox";
    probe.checked = probes.length > 0;
    probe.setAttribute("aria-label", `Early warning for ${svc.name}`);
    probe.addEventListener("change", () => {
      // Off is an explicit empty list; on goes back to the catalog's probes.
      svc.probes = probe.checked ? (catalogProbes.length ? null : probes) : [];
      changed();
    });
    const row = el("label", "row muted small");
    row.append(probe, document.createTextNode(` Early warning: probe ${(probes.length ? probes : catalogProbes).join(", ")}`));
    li.append(row);
  }
  return li;
}

function renderServices() {
  $("settings-services").replaceChildren(...draft.services.map(serviceRow));
  renderCatalog();
}

function addService(entry) {
  if (draft.services.some((s) => s.name.toLowerCase() === entry.name.toLowerCase())) {
    setStatus(`${entry.name} is already watched`, true);
    return;
  }
  draft.services.push({
    name: entry.name,
    url: entry.url,
    format: entry.format,
    endpoint: entry.endpoint ?? null,
    products: entry.products ?? [],
    regions: entry.regions ?? [],
    enabled: true,
    notify: "all",
    components: [],
    updates: "all",
  });
  renderServices();
  changed();
}

function renderCatalog() {
  const q = $("catalog-search").value.trim().toLowerCase();
  const taken = new Set(draft.services.map((s) => s.name.toLowerCase()));
  const hits = catalog
    .filter((e) => !taken.has(e.name.toLowerCase()))
    .filter((e) => !q || e.name.toLowerCase().includes(q) || e.category.includes(q))
    .slice(0, q ? 12 : 6);
  $("catalog-results").replaceChildren(
    ...hits.map((e) => {
      const li = el("li", "row");
      li.dataset.entry = e.name;
      li.append(el("span", "name", e.name), el("span", "badge", e.category), button("Add", () => addService(e)));
      return li;
    }),
  );
}

async function detect() {
  const url = $("add-url").value.trim();
  const out = $("detected");
  out.replaceChildren(el("span", "muted", "Detecting…"));
  out.hidden = false;
  try {
    const d = await detectUrl(url);
    const nameInput = el("input");
    nameInput.type = "text";
    nameInput.id = "detected-name";
    nameInput.value = d.name;
    nameInput.setAttribute("aria-label", "Name");
    const info = el("div", "detected-info", `${d.format_label} · ${d.status.replaceAll("_", " ")} · ${d.components.length} components · ${d.open_incidents} open`);
    info.dataset.format = d.format;
    const add = button("Add", () => {
      addService({ name: nameInput.value.trim() || d.name, url: d.url, format: d.format, endpoint: d.endpoint_override });
      out.hidden = true;
      $("add-url").value = "";
    });
    add.id = "detected-add";
    out.replaceChildren(info, el("div", "muted detail", d.endpoint), nameInput, add);
  } catch (e) {
    out.replaceChildren(el("span", "bad", e.message));
  }
}

/** Host only: a webhook address is a credential, even one just typed. */
function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return "(not a URL)";
  }
}

function statusText(key) {
  const s = webhookStatus.get(key);
  if (!key) return { text: "Not saved yet", bad: false };
  if (!s) return { text: "", bad: false };
  const pending = s.pending ? ` · ${s.pending} waiting` : "";
  if (s.error) return { text: `Last error ${ago(s.error_at)}: ${s.error}${pending}`, bad: true };
  if (s.last_delivered_at) return { text: `Last delivered ${ago(s.last_delivered_at)}${pending}`, bad: false };
  return { text: pending ? pending.slice(3) : "Nothing sent yet", bad: false };
}

function fillStatus(node, key) {
  const { text, bad } = statusText(key);
  node.textContent = text;
  node.classList.toggle("bad", bad);
}

function webhookRow(hook, index) {
  const li = el("li", "setting-webhook");
  li.dataset.webhook = hook.key || "";
  const where = hook.key ? hook.shown : hostOf(hook.url);
  const head = el("div", "row");
  const result = el("div", "small webhook-test");
  result.setAttribute("role", "status");
  const test = button("Send test", async () => {
    test.disabled = true;
    result.className = "small webhook-test muted";
    result.textContent = "Sending…";
    try {
      const r = await sendTestWebhook(hook);
      result.textContent = r.message;
      result.className = `small webhook-test ${r.delivered ? "" : "bad"}`;
    } catch (e) {
      result.textContent = e.message;
      result.className = "small webhook-test bad";
    } finally {
      test.disabled = false;
    }
  }, "test");
  test.setAttribute("aria-label", `Send a test to ${where}`);
  const remove = button("Remove", () => {
    draft.webhooks.splice(index, 1);
    renderWebhooks();
    changed();
  }, "remove");
  remove.setAttribute("aria-label", `Remove ${where}`);
  head.append(el("span", "badge", hook.kind), el("span", "name", where), test, remove);
  const opts = el("div", "row wrap");
  opts.append(
    select([["all", "Every change"], ["major", "Major outages only"]], hook.min_impact || "all", (v) => {
      hook.min_impact = v;
      changed();
    }, `Which changes go to ${where}`),
  );
  const services = el("input", "components");
  services.type = "text";
  services.placeholder = "Only these services (comma-separated; empty = all)";
  services.setAttribute("aria-label", `Services for ${where}`);
  services.value = (hook.services ?? []).join(", ");
  services.addEventListener("change", () => {
    hook.services = services.value.split(",").map((s) => s.trim()).filter(Boolean);
    changed();
  });
  const secret = el("input", "components");
  secret.type = "password";
  secret.autocomplete = "off";
  secret.placeholder = hook.has_secret ? "Signed: type a new secret to replace it" : "Signing secret (optional)";
  secret.setAttribute("aria-label", `Signing secret for ${where}`);
  secret.addEventListener("change", () => {
    // Empty leaves the saved secret as it is; "Clear secret" removes it.
    hook.secret = secret.value.trim() || null;
    changed();
  });
  opts.append(secret);
  if (hook.has_secret) {
    opts.append(button("Clear secret", () => {
      hook.secret = "";
      hook.has_secret = false;
      renderWebhooks();
      changed();
    }));
  }
  const status = el("div", "small webhook-status");
  fillStatus(status, hook.key);
  li.append(head, opts, services, status, result);
  return li;
}

function renderWebhooks() {
  $("settings-webhooks").replaceChildren(...draft.webhooks.map(webhookRow));
}

function addWebhook() {
  const url = $("webhook-url").value.trim();
  if (!url) return;
  draft.webhooks.push({
    key: "",
    shown: "",
    url,
    kind: $("webhook-kind").value,
    services: [],
    min_impact: "all",
    secret: null,
    has_secret: false,
  });
  $("webhook-url").value = "";
  renderWebhooks();
  changed();
}

/** The overview's word on each target; updates the rows in place, keeping unsaved edits. */
export function setWebhookStatus(list) {
  webhookStatus = new Map((list ?? []).map((w) => [w.key, w]));
  for (const row of document.querySelectorAll("#settings-webhooks > li")) {
    const node = row.querySelector(".webhook-status");
    if (node) fillStatus(node, row.dataset.webhook);
  }
}

function renderGeneral() {
  $("poll-interval").value = draft.poll_interval_secs;
  $("early-on").checked = draft.early_warning.enabled;
  $("probe-interval").value = draft.early_warning.probe_interval_secs;
  $("probe-interval").disabled = !draft.early_warning.enabled;
  const q = draft.quiet_hours;
  $("quiet-on").checked = Boolean(q);
  $("quiet-start").value = q?.start ?? "22:00";
  $("quiet-end").value = q?.end ?? "07:00";
  $("quiet-mode").value = q?.mode ?? "queue";
  for (const id of ["quiet-start", "quiet-end", "quiet-mode"]) $(id).disabled = !q;
}

function readGeneral() {
  draft.poll_interval_secs = Number($("poll-interval").value);
  draft.early_warning.enabled = $("early-on").checked;
  draft.early_warning.probe_interval_secs = Number($("probe-interval").value);
  draft.quiet_hours = $("quiet-on").checked
    ? { start: $("quiet-start").value, end: $("quiet-end").value, mode: $("quiet-mode").value }
    : null;
}

async function save() {
  readGeneral();
  setStatus("Saving…");
  try {
    const view = await saveSettings(draft);
    load(view);
    setStatus("Saved");
  } catch (e) {
    setStatus(e.message, true);
  }
}

function load(view) {
  draft = JSON.parse(JSON.stringify(view.settings));
  $("settings-path").textContent = view.path ? `Saved in ${view.path}` : "";
  $("launch-at-login").checked = view.launch_at_login;
  draft.webhooks = draft.webhooks ?? [];
  renderGeneral();
  renderServices();
  renderWebhooks();
}

export async function refreshSettings() {
  try {
    if (!catalog.length) catalog = await getCatalog();
    load(await getSettings());
    setStatus("");
  } catch (e) {
    showError(e);
  }
}

export function initSettings() {
  $("catalog-search").addEventListener("input", renderCatalog);
  $("detect").addEventListener("click", detect);
  $("add-url").addEventListener("keydown", (e) => {
    if (e.key === "Enter") detect();
  });
  $("save-settings").addEventListener("click", save);
  $("webhook-add").addEventListener("click", addWebhook);
  $("webhook-url").addEventListener("keydown", (e) => {
    if (e.key === "Enter") addWebhook();
  });
  for (const id of ["poll-interval", "probe-interval", "quiet-start", "quiet-end", "quiet-mode"]) $(id).addEventListener("change", changed);
  $("early-on").addEventListener("change", () => {
    readGeneral();
    renderGeneral();
    changed();
  });
  $("quiet-on").addEventListener("change", () => {
    readGeneral();
    renderGeneral();
    changed();
  });
  $("launch-at-login").addEventListener("change", async (e) => {
    try {
      e.target.checked = await setLaunchAtLogin(e.target.checked);
    } catch (err) {
      e.target.checked = !e.target.checked;
      showError(err);
    }
  });
}
