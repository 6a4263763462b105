// eventsift web UI: the timeline under the map, per day/week/month (uPlot): events (from /stats),
// stories, or independent sources (from /stories), as the count selector says.

import { $, hooks, html, humanDay } from "./core.js";

// ---------------------------------------------------------------------------------------------
// Timeline

let plot = null;
const DAY = 86400;

function dayToSec(day) {
  const [y, m = "01", d = "01"] = String(day).slice(0, 10).split("-");
  return Date.UTC(+y, +m - 1, +d) / 1000;
}
const secToDay = (s) => new Date(s * 1000).toISOString().slice(0, 10);

function binCounts(byDay) {
  const points = byDay.filter((r) => r && r.day && r.count > 0).map((r) => [dayToSec(r.day), r.count]);
  if (!points.length) return null;
  const min = Math.min(...points.map((p) => p[0]));
  const max = Math.max(...points.map((p) => p[0]));
  const spanDays = (max - min) / DAY;
  const unit = spanDays <= 180 ? "day" : spanDays <= 3 * 366 ? "week" : "month";
  const binOf = (s) => {
    if (unit === "day") return s;
    if (unit === "week") { const d = new Date(s * 1000); return s - ((d.getUTCDay() + 6) % 7) * DAY; }
    const d = new Date(s * 1000);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
  };
  const step = (s) => {
    if (unit === "day") return s + DAY;
    if (unit === "week") return s + 7 * DAY;
    const d = new Date(s * 1000);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
  };
  const back = (s) => {
    if (unit === "day") return s - DAY;
    if (unit === "week") return s - 7 * DAY;
    const d = new Date(s * 1000);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1) / 1000;
  };
  const sums = new Map();
  for (const [s, n] of points) sums.set(binOf(s), (sums.get(binOf(s)) || 0) + n);
  const xs = [];
  const ys = [];
  // one empty bin either side, so that a single day still gets an axis
  for (let s = back(binOf(min)); s <= step(binOf(max)); s = step(s)) {
    xs.push(s);
    ys.push(sums.get(s) || 0);
  }
  return { xs, ys, unit, total: points.reduce((a, p) => a + p[1], 0) };
}

// Whole numbers only on the count axis, the top tick at or above the tallest bar: bars of 3 read
// against 0 1 2 3, not against 0 and 2.
function countTicks(max) {
  const step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000]
    .find((s) => Math.ceil(max / s) <= 5) ?? 10 ** Math.ceil(Math.log10(max / 5));
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return ticks;
}

// Axis dates as people write them ("10 Mar", "Mar 2024", "2024"), not uPlot's "3/10".
function tickLabel(sec, incr, first) {
  const iso = secToDay(sec);
  if (incr >= 365 * DAY) return iso.slice(0, 4);
  if (incr >= 28 * DAY) return humanDay(iso.slice(0, 7), "month");
  return first ? humanDay(iso) : humanDay(iso).replace(/ \d{4}$/, "");  // the year once, on the first tick
}

export function drawTimeline(byDay, note = "", what = "events") {
  const box = $("#timeline");
  if (plot) { plot.destroy(); plot = null; }
  box.innerHTML = "";
  const data = binCounts(byDay || []);
  box.dataset.total = String(data ? data.total : 0);
  box.dataset.bins = String(data ? data.xs.length : 0);
  if (!data) {
    $("#timeline-unit").textContent = "";
    box.innerHTML = html`<div class="empty-note muted" data-testid="timeline-empty">No dated events match these filters.</div>`.s;
    return;
  }
  $("#timeline-unit").textContent = `(per ${data.unit}${note ? `; ${note}` : ""})`;
  const ticks = countTicks(Math.max(1, ...data.ys));
  box.dataset.ticks = ticks.join(",");
  const one = { events: "event", stories: "story", "independent sources": "independent source" }[what] ?? what;
  const readout = document.createElement("span");
  const opts = {
    width: Math.max(200, box.clientWidth),
    height: 140,
    legend: { show: false },
    cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
    scales: { x: { time: true }, y: { range: () => [0, ticks.at(-1)] } },
    axes: [
      { stroke: "#555", grid: { stroke: "#eee" }, ticks: { stroke: "#ccc" }, space: 60,
        // whole days at least: the bars are days, weeks or months
        incrs: [1, 2, 7, 14, 30, 61, 91, 182, 365, 730, 1825, 3650].map((d) => d * DAY),
        values: (u, splits, axis, space, incr) => splits.map((s, i) => tickLabel(s, incr, i === 0)) },
      { stroke: "#555", size: 36, grid: { stroke: "#eee" }, ticks: { stroke: "#ccc" },
        splits: () => ticks, values: (u, vals) => vals.map((v) => String(Math.round(v))) },
    ],
    series: [
      {},
      { label: what, stroke: "#0b5cad", fill: "rgba(11, 92, 173, 0.55)", width: 1,
        paths: uPlot.paths.bars({ size: [0.85, 48, 4] }), points: { show: false } },
    ],
    hooks: {
      setSelect: [(u) => {
        if (u.select.width < 4) return;
        const from = secToDay(u.posToVal(u.select.left, "x"));
        const to = secToDay(u.posToVal(u.select.left + u.select.width, "x"));
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        const form = $("#filters");
        form.elements.date_from.value = from;
        form.elements.date_to.value = to;
        hooks.applyFilters();
      }],
      setCursor: [(u) => {
        const i = u.cursor.idx;
        readout.textContent = i === null || i === undefined ? "" :
          ` ${humanDay(secToDay(u.data[0][i]))}: ${u.data[1][i]} ${u.data[1][i] === 1 ? one : what}`;
      }],
    },
  };
  plot = new uPlot(opts, [data.xs, data.ys], box);
  $("#timeline-unit").append(readout);
}

export function resizeTimeline() {
  if (plot) plot.setSize({ width: Math.max(200, $("#timeline").clientWidth), height: 140 });
}
new ResizeObserver(resizeTimeline).observe($("#timeline"));
