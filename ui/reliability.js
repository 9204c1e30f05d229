// The Reliability view: per service, incidents and availability over 7/30/90 days and a 90-day strip.
import { getReliability } from "./api.js";
import { $, duration, el, showError } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";

function strip(days) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "strip");
  svg.setAttribute("viewBox", `0 0 ${days.length * 4} 16`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  const bad = days.filter((d) => d.worst).length;
  svg.setAttribute("aria-label", `Last ${days.length} days: ${bad} with incidents`);
  days.forEach((d, n) => {
    const r = document.createElementNS(SVG, "rect");
    r.setAttribute("x", String(n * 4));
    r.setAttribute("y", "0");
    r.setAttribute("width", "3");
    r.setAttribute("height", "16");
    r.setAttribute("class", `day ${d.worst ? `impact-${d.worst}` : "clear"}`);
    const title = document.createElementNS(SVG, "title");
    title.textContent = d.worst
      ? `${d.date}: ${d.incidents} incident(s), ${duration(d.impacted_secs)} impacted`
      : `${d.date}: no incidents`;
    r.append(title);
    svg.append(r);
  });
  return svg;
}

function card(s) {
  const r = s.reliability;
  const item = el("li", "reliability");
  item.dataset.service = s.service_id;
  item.append(el("h3", "name", s.name));
  const table = el("table", "windows");
  const head = el("tr");
  head.append(el("th"), ...r.windows.map((w) => el("th", null, `${w.days} d`)));
  const rows = [
    ["Incidents", (w) => String(w.incidents)],
    ["Impacted", (w) => (w.impacted_secs ? duration(w.impacted_secs) : "—")],
    ["Available", (w) => `${w.availability_pct.toFixed(w.availability_pct === 100 ? 0 : 2)} %`],
  ];
  table.append(head);
  for (const [name, value] of rows) {
    const tr = el("tr");
    tr.append(el("th", null, name), ...r.windows.map((w) => el("td", null, value(w))));
    table.append(tr);
  }
  const facts = el("div", "meta muted");
  const parts = [];
  parts.push(r.mttr_secs !== null ? `mean time to resolve ${duration(r.mttr_secs)}` : "nothing resolved in 90 days");
  if (r.longest_secs !== null) parts.push(`longest ${duration(r.longest_secs)}`);
  if (r.open) parts.push(`${r.open} open now`);
  parts.push(r.history_since ? `history since ${new Date(r.history_since).toLocaleDateString()}` : "no history yet");
  facts.textContent = parts.join(" · ");
  item.append(table, strip(r.days), facts);
  const d = r.detection;
  if (d.confirmed || d.blips) {
    const early = el("div", "meta detection");
    const lead = d.median_lead_secs !== null && d.median_lead_secs > 0
      ? `median ${duration(d.median_lead_secs)} before the status page`
      : "no lead over the status page";
    early.textContent = `Early warning, 90 d: ${d.confirmed} confirmed (${lead}) · ${d.blips} unconfirmed blip${d.blips === 1 ? "" : "s"}`;
    item.append(early);
  }
  return item;
}

export async function refreshReliability() {
  try {
    const list = await getReliability();
    $("reliability").replaceChildren(...list.map(card));
  } catch (e) {
    showError(e);
  }
}
