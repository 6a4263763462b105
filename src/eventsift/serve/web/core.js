// eventsift web UI, shared pieces: taxonomy labels, safe HTML, the API client, formatting, state.
//
// Plain ES modules, no build step; app.js is the entry point. Leaflet (L), leaflet.markercluster,
// topojson-client (topojson) and uPlot are loaded before them as classic scripts from static/vendor/.

// ---------------------------------------------------------------------------------------------
// Taxonomy labels for display. ACLED names from ../shared/taxonomy/acled.yaml (ACLED codebook);
// CAMEO root names from ../shared/taxonomy/cameo.yaml. Colours: Okabe-Ito.

export const ACLED = {
  "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
  "Explosions/Remote violence": ["Chemical weapon", "Air/drone strike", "Suicide bomb",
    "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"],
  "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
  "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
  "Riots": ["Violent demonstration", "Mob violence"],
  "Strategic developments": ["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
    "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory", "Other"],
};
export const TYPE_COLOURS = {
  "Battles": "#d55e00",
  "Explosions/Remote violence": "#e69f00",
  "Violence against civilians": "#cc79a7",
  "Protests": "#0072b2",
  "Riots": "#56b4e9",
  "Strategic developments": "#009e73",
};
const OTHER_COLOUR = "#777777";
export const CAMEO_ROOTS = {
  "01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate", "04": "Consult",
  "05": "Engage in diplomatic cooperation", "06": "Engage in material cooperation", "07": "Provide aid",
  "08": "Yield", "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten",
  "14": "Protest", "15": "Exhibit force posture", "16": "Reduce relations", "17": "Coerce", "18": "Assault",
  "19": "Fight", "20": "Use unconventional mass violence",
};
// Marker size (px) and the radius (m) of the "somewhere in here" circle drawn for a selected item.
export const PRECISION = {
  city: { size: 14, radius: 5000, label: "town or village" },
  region: { size: 20, radius: 120000, label: "region (admin1)" },
  country: { size: 26, radius: 450000, label: "country" },
  continent: { size: 26, radius: 1500000, label: "continent" },
};
export const FILTERS = ["date_from", "date_to", "country", "admin1", "bbox", "event_type", "sub_event_type", "actor",
  "status", "min_sources", "q", "sort"];
export const LIST_PAGE = 50;  // a `limit` in the page's URL (?limit=10) overrides it
export const MAP_PAGE = 1000;
export const MAP_MAX = 5000;

export const colourOf = (type) => TYPE_COLOURS[type] || OTHER_COLOUR;

// ---------------------------------------------------------------------------------------------
// Safe HTML: html`...` escapes every interpolated value unless it is itself html`` or raw().

class Raw { constructor(s) { this.s = s; } toString() { return this.s; } }
export const raw = (s) => new Raw(s);
const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ESC[c]);
function toHtml(v) {
  if (v === null || v === undefined || v === false) return "";
  if (v instanceof Raw) return v.s;
  if (Array.isArray(v)) return v.map(toHtml).join("");
  return esc(v);
}
export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((v, i) => { out += toHtml(v) + strings[i + 1]; });
  return raw(out);
}
export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

// ---------------------------------------------------------------------------------------------
// API access: one place for URLs and errors.

class ApiError extends Error {}

export async function api(path, params = {}) {
  const url = new URL(path.replace(/^\//, ""), document.baseURI);
  url.search = "";
  url.hash = "";
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
  }
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" } });
  } catch (err) {
    throw new ApiError(`cannot reach the eventsift server (${url.pathname}): ${err.message}`);
  }
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const body = await response.json();
      const msg = body.error ?? body.detail;
      detail = typeof msg === "string" ? msg : JSON.stringify(msg ?? body);
    } catch { /* not JSON */ }
    throw new ApiError(`GET ${url.pathname} failed: ${response.status} ${detail}`);
  }
  try {
    return await response.json();
  } catch (err) {
    throw new ApiError(`GET ${url.pathname}: the answer is not JSON (${err.message})`);
  }
}

export function showError(message) {
  $("#error-text").textContent = message;
  $("#error-banner").hidden = false;
}
$("#error-close").addEventListener("click", () => { $("#error-banner").hidden = true; });

// ---------------------------------------------------------------------------------------------
// Formatting

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// "2024-03-12" -> "12 Mar 2024", "2024-03" -> "Mar 2024", a time -> "12 Mar 2024, 08:30 UTC"; the ISO
// value stays in a title attribute (whenHtml, dayHtml) for whoever needs it exactly.
export function humanDay(iso, precision = "day") {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2}))?/.exec(String(iso ?? ""));
  if (!m) return iso ?? "";
  const [, y, mo, d, hh, mm] = m;
  if (!mo || precision === "year" || precision === "decade") return y;
  const month = `${MONTHS[Number(mo) - 1]} ${y}`;
  if (!d || ["month", "season", "quarter"].includes(precision)) return month;
  return `${Number(d)} ${month}${hh ? `, ${hh}:${mm} UTC` : ""}`;
}
export function fmtWhen(when) {
  if (!when || (!when.start && !when.end)) return null;
  const p = when.precision && when.precision !== "range" ? when.precision : "day";
  const range = when.end && when.end !== when.start
    ? `${when.start ? humanDay(when.start, p) : "?"} – ${humanDay(when.end, p)}` : humanDay(when.start, p);
  return ["day", "range", "month", "year"].includes(when.precision ?? "day") ? range : `${range} (${when.precision})`;
}
export function isoWhen(when) {
  if (!when) return "";
  return when.end && when.end !== when.start ? `${when.start ?? "?"}/${when.end}` : (when.start ?? "");
}
export const whenHtml = (when, missing = "date unknown") => {
  const text = fmtWhen(when);
  return text ? html`<time datetime="${isoWhen(when)}" title="${isoWhen(when)}">${text}</time>` : missing;
};
export const dayHtml = (iso) => (iso ? html`<time datetime="${iso}" title="${iso}">${humanDay(iso)}</time>` : "");
export function fmtPlace(place) {
  if (!place) return null;
  const parts = [place.name || place.text];
  if (place.admin1 && place.precision !== "region") parts.push(place.admin1);
  else if (place.country && place.precision !== "country") parts.push(place.country);
  return parts.filter(Boolean).join(", ");
}
export function fmtFatalities(f) {
  if (!f) return null;
  if (f.value === null || f.value === undefined) {
    if (f.low !== null && f.low !== undefined) return `${f.low}–${f.high ?? "?"}`;
    return null;
  }
  let s = String(f.value);
  if (f.low !== undefined && f.high !== undefined && f.low !== null && f.high !== null && f.low !== f.high) {
    s += ` (${f.low}–${f.high})`;
  }
  return s;
}
export function fmtValue(v) {
  if (v === null || v === undefined) return "unknown";
  if (typeof v !== "object") return String(v);
  if (Array.isArray(v)) return v.map(fmtValue).join(", ");
  if ("precision" in v && ("start" in v || "end" in v) && !("lat" in v)) return fmtWhen(v) ?? "unknown";
  if ("name" in v) return fmtPlace(v) ?? v.name;
  if ("value" in v) return fmtValue(v.value);
  return JSON.stringify(v);
}
export const unknown = (why = "unknown") => html`<span class="unknown">${why}</span>`;
export const statusBadge = (s) => (s ? html`<span class="badge status-${s}" data-testid="status-badge">${s}</span>` : "");
export const truncate = (s, n) => (s && s.length > n ? `${s.slice(0, n - 1)}…` : s || "");
export const articleHref = (id) => `#/article/${encodeURIComponent(id)}`;
export const eventHref = (id) => `#/event/${encodeURIComponent(id)}`;
export const storyHref = (id) => `#/story/${encodeURIComponent(id)}`;

// An event's id in the database (and the API) is "{article_id}:{in-article id}"; the article record's
// events already carry it that way, as eventsift.stories.store.event_key reads them.
export function eventIdFor(articleId, e) {
  return String(e.id).startsWith(`${articleId}:`) ? e.id : `${articleId}:${e.id}`;
}

// ---------------------------------------------------------------------------------------------
// State

export const state = {
  tab: "events",
  countBy: "events",  // the timeline's count: events, stories or (independent) sources
  filters: {},
  next: null,       // cursor of the current list
  generation: 0,    // bumps on every reload of map and timeline; stale answers are dropped
  listGen: 0,       // the same for the list (a tab switch reloads only the list)
  needsFit: false,  // markers were drawn while the map was hidden
  mapEvents: [],
  markers: new Map(),
  selectedLayer: null,
  detailKey: null,
};

// Set by app.js: the map and the timeline apply filters through it.
export const hooks = { applyFilters: () => {} };
