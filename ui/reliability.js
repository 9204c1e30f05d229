// The Reliability view: per service, incidents and availability over 7/30/90 days, a 90-day strip and how late its page admits outages.
import { getReliability } from "./api.js";
import { $, duration, el, replaceKeepingFocus, showError } from "./dom.js";
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

/** The chart's shortest full scale: a few short delays are not drawn as if they were long. */
const CHART_MIN_SCALE_SECS = 15 * 60;

/** One bar per acknowledgment, oldest first, as tall as its delay (the longest fills it). */
function ackChart(points, days) {
  const slot = 10;
  const width = Math.max(points.length, 12) * slot;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "ack-chart");
  svg.setAttribute("viewBox", `0 0 ${width} 32`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  const longest = Math.max(...points.map((p) => p.delay_secs));
  svg.setAttribute("aria-label", t("reliability-ack-chart", { days, longest: duration(longest) }));
  const scale = Math.max(longest, CHART_MIN_SCALE_SECS);
  points.forEach((p, n) => {
    const h = Math.max(2, Math.round((p.delay_secs / scale) * 32));
    const r = document.createElementNS(SVG, "rect");
    r.setAttribute("x", String(n * slot + 1));
    r.setAttribute("y", String(32 - h));
    r.setAttribute("width", String(slot - 3));
    r.setAttribute("height", String(h));
    r.setAttribute("class", `ack-point sign-${p.sign}`);
    const title = document.createElementNS(SVG, "title");
    const id = p.sign === "component" ? "reliability-ack-point-component" : "reliability-ack-point-probe";
    title.textContent = t(id, { date: dateOf(new Date(p.since)), delay: duration(p.delay_secs) });
    r.append(title);
    svg.append(r);
  });
  return svg;
}

/** The page's acknowledgment record: a grade per window, the 90 days' figures and the chart. */
function acknowledgment(a) {
  const box = el("div", "ack");
  box.append(el("h4", null, t("reliability-ack-heading")));
  const widest = a.windows[a.windows.length - 1];
  if (!widest || widest.acknowledged + widest.never_acknowledged === 0) {
    box.append(el("p", "muted small", t("reliability-ack-nothing")));
    return box;
  }
  const grades = el("div", "grades");
  for (const w of a.windows) {
    const grade = el("span", `grade grade-${w.grade ?? "none"}`, t("reliability-ack-window", { days: w.days, grade: w.grade ?? t("ack-not-enough") }));
    grades.append(grade);
  }
  const share = widest.never_share === null ? 0 : widest.never_share * 100;
  const summary = widest.acknowledged
    ? t("reliability-ack-summary", {
        acknowledged: widest.acknowledged,
        median: duration(widest.median_secs),
        mean: duration(widest.mean_secs),
        never: widest.never_acknowledged,
        share: percent(share, 0),
      })
    : t("reliability-ack-summary-none", { never: widest.never_acknowledged });
  box.append(grades, el("div", "meta small", summary));
  if (a.points.length) box.append(ackChart(a.points, widest.days));
  return box;
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
  item.append(acknowledgment(r.acknowledgment));
  return item;
}

export async function refreshReliability() {
  try {
    const list = await getReliability();
    replaceKeepingFocus($("reliability"), list.map(card));
  } catch (e) {
    showError(e);
  }
}
