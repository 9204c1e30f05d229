// The Reliability view: per service, incidents and availability over 7/30/90 days and a 90-day strip.
import { getReliability } from "./api.js";
import { $, duration, el, showError } from "./dom.js";
import { dateOf, day, percent, t } from "./i18n.js";

/** The longest window the engine keeps, for "nothing resolved in 90 days". */
const LONGEST_DAYS = 90;

const SVG = "http://www.w3.org/2000/svg";

function strip(days) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "strip");
  svg.setAttribute("viewBox", `0 0 ${days.length * 4} 16`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  const bad = days.filter((d) => d.worst).length;
  svg.setAttribute("aria-label", t("reliability-strip", { days: days.length, bad }));
  days.forEach((d, n) => {
    const r = document.createElementNS(SVG, "rect");
    r.setAttribute("x", String(n * 4));
    r.setAttribute("y", "0");
    r.setAttribute("width", "3");
    r.setAttribute("height", "16");
    r.setAttribute("class", `day ${d.worst ? `impact-${d.worst}` : "clear"}`);
    const title = document.createElementNS(SVG, "title");
    title.textContent = d.worst
      ? t("reliability-day", { date: day(d.date), count: d.incidents, duration: duration(d.impacted_secs) })
      : t("reliability-day-clear", { date: day(d.date) });
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
  head.append(el("th"), ...r.windows.map((w) => el("th", null, t("reliability-window", { days: w.days }))));
  const rows = [
    [t("reliability-row-incidents"), (w) => String(w.incidents)],
    [t("reliability-row-impacted"), (w) => (w.impacted_secs ? duration(w.impacted_secs) : t("reliability-none"))],
    [t("reliability-row-available"), (w) => percent(w.availability_pct, w.availability_pct === 100 ? 0 : 2)],
  ];
  table.append(head);
  for (const [name, value] of rows) {
    const tr = el("tr");
    tr.append(el("th", null, name), ...r.windows.map((w) => el("td", null, value(w))));
    table.append(tr);
  }
  const facts = el("div", "meta muted");
  const parts = [];
  parts.push(
    r.mttr_secs !== null
      ? t("reliability-mttr", { duration: duration(r.mttr_secs) })
      : t("reliability-nothing-resolved", { days: LONGEST_DAYS }),
  );
  if (r.longest_secs !== null) parts.push(t("reliability-longest", { duration: duration(r.longest_secs) }));
  if (r.open) parts.push(t("reliability-open-now", { count: r.open }));
  parts.push(r.history_since ? t("reliability-history-since", { date: dateOf(new Date(r.history_since)) }) : t("reliability-no-history"));
  facts.textContent = parts.join(" · ");
  item.append(table, strip(r.days), facts);
  const d = r.detection;
  if (d.confirmed || d.blips) {
    const early = el("div", "meta detection");
    const lead =
      d.median_lead_secs !== null && d.median_lead_secs > 0
        ? t("reliability-detection-lead", { duration: duration(d.median_lead_secs) })
        : t("reliability-detection-no-lead");
    early.textContent = t("reliability-detection", { days: LONGEST_DAYS, confirmed: d.confirmed, lead, blips: d.blips });
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
