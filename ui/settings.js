// The Settings view: services (from the catalog or a pasted URL), per-service alerts, quiet hours, polling, webhooks.
import { detectUrl, getCatalog, getSettings, saveSettings, sendTestWebhook, setLaunchAtLogin } from "./api.js";
import { $, ago, button, el, showError } from "./dom.js";
import { choice, defaultOf, has, languageChoices, statusWords, t } from "./i18n.js";

let draft = null;
let catalog = [];
/** How each webhook target is doing, by key, from the overview. */
let webhookStatus = new Map();
/** The status line as a message (id and arguments), so a language switch rewrites it. */
let status = { id: null, args: {}, bad: false };
let savedIn = null;

/** A select of one of Rust's lists (`choice(name)`); an unset value shows the default. */
function select(name, value, onChange, labelText) {
  const s = el("select");
  s.setAttribute("aria-label", labelText);
  for (const c of choice(name)) {
    const o = el("option", null, t(c.label));
    o.value = c.value;
    s.append(o);
  }
  value ||= defaultOf(name);
  s.value = value;
  s.addEventListener("change", () => onChange(s.value));
  return s;
}

/** `id` is a message id, or null with `args.text` for words that come as they are (errors). */
function setStatus(id, bad, args = {}) {
  status = { id, args, bad };
  const s = $("settings-status");
  s.textContent = id ? t(id, args) : (args.text ?? "");
  s.classList.toggle("bad", Boolean(bad));
}

/** Unsaved edits: kept across tab switches and overview pushes until saved or reloaded. */
let dirty = false;

function markDirty(value) {
  dirty = value;
  // The Save button and the Settings tab say so while the user looks elsewhere.
  $("save-settings").classList.toggle("unsaved", dirty);
  $("tab-settings").classList.toggle("unsaved", dirty);
  $("discard-settings").hidden = !dirty;
}

function changed() {
  // The general fields live in the form until now: into the draft, so a re-render keeps them.
  if (draft) readGeneral();
  markDirty(true);
  setStatus("settings-unsaved");
}

function serviceRow(svc, index) {
  const li = el("li", "setting-service");
  li.dataset.service = svc.name;
  const head = el("div", "row");
  const enabled = el("input");
  enabled.type = "checkbox";
  enabled.checked = svc.enabled;
  enabled.setAttribute("aria-label", t("settings-watch-service", { name: svc.name }));
  enabled.addEventListener("change", () => {
    svc.enabled = enabled.checked;
    changed();
  });
  const name = el("span", "name", svc.name);
  const fmt = el("span", "badge", svc.format);
  const remove = button(t("settings-remove"), () => {
    draft.services.splice(index, 1);
    renderServices();
    changed();
  }, "remove");
  remove.setAttribute("aria-label", t("settings-remove-service", { name: svc.name }));
  head.append(enabled, name, fmt, remove);
  const url = el("div", "muted detail", svc.url);
  url.title = svc.url;
  const opts = el("div", "row wrap");
  opts.append(
    select(
      "notify",
      svc.notify,
      (v) => {
        svc.notify = v;
        changed();
      },
      t("settings-notify-label", { name: svc.name }),
    ),
    select(
      "updates",
      svc.updates,
      (v) => {
        svc.updates = v;
        changed();
      },
      t("settings-updates-label", { name: svc.name }),
    ),
  );
  const comps = el("input", "components");
  comps.type = "text";
  comps.placeholder = t("settings-components-placeholder");
  comps.setAttribute("aria-label", t("settings-components-label", { name: svc.name }));
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
    probe.setAttribute("aria-label", t("settings-early-service", { name: svc.name }));
    probe.addEventListener("change", () => {
      // Off is an explicit empty list; on goes back to the catalog's probes.
      svc.probes = probe.checked ? (catalogProbes.length ? null : probes) : [];
      changed();
    });
    const row = el("label", "row muted small");
    const targets = (probes.length ? probes : catalogProbes).join(", ");
    row.append(probe, document.createTextNode(" "), el("span", null, t("settings-early-probe", { targets })));
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
    setStatus("settings-already-watched", true, { name: entry.name });
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
    notify: defaultOf("notify"),
    components: [],
    updates: defaultOf("updates"),
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
      const category = has(`category-${e.category}`) ? t(`category-${e.category}`) : e.category;
      li.append(el("span", "name", e.name), el("span", "badge", category), button(t("settings-add"), () => addService(e)));
      return li;
    }),
  );
}

async function detect() {
  const url = $("add-url").value.trim();
  const out = $("detected");
  out.replaceChildren(el("span", "muted", t("settings-detecting")));
  out.hidden = false;
  try {
    const d = await detectUrl(url);
    const nameInput = el("input");
    nameInput.type = "text";
    nameInput.id = "detected-name";
    nameInput.value = d.name;
    nameInput.setAttribute("aria-label", t("settings-detected-name"));
    const format = has(`format-${d.format}`) ? t(`format-${d.format}`) : d.format_label;
    const info = el(
      "div",
      "detected-info",
      t("settings-detected-info", { format, status: statusWords(d.status), components: d.components.length, open: d.open_incidents }),
    );
    info.dataset.format = d.format;
    const add = button(t("settings-add"), () => {
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

function renderLanguages() {
  const choices = [["system", t("settings-language-system")], ...languageChoices().map((l) => [l.tag, l.name])];
  $("language").replaceChildren(
    ...choices.map(([tag, name]) => {
      const o = el("option", null, name);
      o.value = tag;
      return o;
    }),
  );
  $("language").value = choices.some(([tag]) => tag === draft.language) ? draft.language : "system";
}

/** Host only: a webhook address is a credential, even one just typed. */
function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return t("settings-webhook-not-a-url");
  }
}

function statusText(key) {
  const s = webhookStatus.get(key);
  if (!key) return { text: t("settings-webhook-not-saved"), bad: false };
  if (!s) return { text: "", bad: false };
  const pending = s.pending ? t("settings-webhook-pending", { count: s.pending }) : "";
  const withPending = (text) => (pending ? `${text} · ${pending}` : text);
  if (s.error) return { text: withPending(t("settings-webhook-error", { ago: ago(s.error_at), error: s.error })), bad: true };
  if (s.last_delivered_at) return { text: withPending(t("settings-webhook-delivered", { ago: ago(s.last_delivered_at) })), bad: false };
  return { text: pending || t("settings-webhook-nothing-sent"), bad: false };
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
  const test = button(t("webhook-send-test"), async () => {
    test.disabled = true;
    result.className = "small webhook-test muted";
    result.textContent = t("webhook-sending");
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
  test.setAttribute("aria-label", t("settings-webhook-test-label", { target: where }));
  const remove = button(t("settings-remove"), () => {
    draft.webhooks.splice(index, 1);
    renderWebhooks();
    changed();
  }, "remove");
  remove.setAttribute("aria-label", t("settings-webhook-remove-label", { target: where }));
  head.append(el("span", "badge", hook.kind), el("span", "name", where), test, remove);
  const opts = el("div", "row wrap");
  opts.append(
    select(
      "webhook_min_impact",
      hook.min_impact,
      (v) => {
        hook.min_impact = v;
        changed();
      },
      t("settings-webhook-which-label", { target: where }),
    ),
  );
  const services = el("input", "components");
  services.type = "text";
  services.placeholder = t("settings-webhook-services-placeholder");
  services.setAttribute("aria-label", t("settings-webhook-services-label", { target: where }));
  services.value = (hook.services ?? []).join(", ");
  services.addEventListener("change", () => {
    hook.services = services.value.split(",").map((s) => s.trim()).filter(Boolean);
    changed();
  });
  const secret = el("input", "components");
  secret.type = "password";
  secret.autocomplete = "off";
  secret.placeholder = t(hook.has_secret ? "settings-webhook-secret-replace" : "settings-webhook-secret");
  secret.setAttribute("aria-label", t("settings-webhook-secret-label", { target: where }));
  secret.addEventListener("change", () => {
    // Empty leaves the saved secret as it is; "Clear secret" removes it.
    hook.secret = secret.value.trim() || null;
    changed();
  });
  opts.append(secret);
  if (hook.has_secret) {
    opts.append(button(t("settings-webhook-clear-secret"), () => {
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
    min_impact: defaultOf("webhook_min_impact"),
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
  renderLanguages();
  $("poll-interval").value = draft.poll_interval_secs;
  $("early-on").checked = draft.early_warning.enabled;
  $("probe-interval").value = draft.early_warning.probe_interval_secs;
  $("probe-interval").disabled = !draft.early_warning.enabled;
  const q = draft.quiet_hours;
  $("quiet-on").checked = Boolean(q);
  $("quiet-start").value = q?.start ?? "22:00";
  $("quiet-end").value = q?.end ?? "07:00";
  $("quiet-mode").value = q?.mode || defaultOf("quiet_mode");
  for (const id of ["quiet-start", "quiet-end", "quiet-mode"]) $(id).disabled = !q;
}

function readGeneral() {
  draft.poll_interval_secs = Number($("poll-interval").value);
  draft.language = $("language").value;
  draft.early_warning.enabled = $("early-on").checked;
  draft.early_warning.probe_interval_secs = Number($("probe-interval").value);
  draft.quiet_hours = $("quiet-on").checked
    ? { start: $("quiet-start").value, end: $("quiet-end").value, mode: $("quiet-mode").value }
    : null;
}

async function save() {
  readGeneral();
  setStatus("settings-saving");
  try {
    const view = await saveSettings(draft);
    markDirty(false);
    load(view);
    setStatus("settings-saved");
  } catch (e) {
    setStatus(null, true, { text: e.message });
  }
}

function load(view) {
  draft = JSON.parse(JSON.stringify(view.settings));
  draft.webhooks = draft.webhooks ?? [];
  savedIn = view.path;
  $("launch-at-login").checked = view.launch_at_login;
  rerenderSettings();
}

/** Writes the form again from the draft (unsaved edits kept), in the language in force. */
export function rerenderSettings() {
  if (!draft) return;
  $("settings-path").textContent = savedIn ? t("settings-saved-in", { path: savedIn }) : "";
  $("catalog-search").placeholder = t("settings-catalog-placeholder", { count: catalog.length });
  renderGeneral();
  renderServices();
  renderWebhooks();
  setStatus(status.id, status.bad, status.args);
}

export async function refreshSettings() {
  // Coming back to unsaved edits: they stay as they were (a save over a file edited since
  // is refused by its revision, so keeping them loses nothing either).
  if (dirty && draft) return;
  try {
    if (!catalog.length) catalog = await getCatalog();
    load(await getSettings());
    setStatus(null);
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
  $("discard-settings").addEventListener("click", () => {
    markDirty(false);
    refreshSettings();
  });
  $("webhook-add").addEventListener("click", addWebhook);
  $("webhook-url").addEventListener("keydown", (e) => {
    if (e.key === "Enter") addWebhook();
  });
  for (const id of ["poll-interval", "probe-interval", "quiet-start", "quiet-end", "quiet-mode", "language"]) $(id).addEventListener("change", changed);
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
