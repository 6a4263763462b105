// eventsift web UI: map, timeline, filters, event/story lists, detail panel, article view.
//
// Plain ES modules, no build step; this is the entry point. Leaflet (L), leaflet.markercluster,
// topojson-client (topojson) and uPlot are loaded before the modules as classic scripts from
// static/vendor/ (see web/vendor.mjs).
// Every request goes to the server that served this page; the basemap is the bundled Natural Earth
// country outlines, so the page works with no network at all.
//
// Routes (location.hash): #/ (map and list), #/event/ID, #/story/ID (detail panel), #/article/ID.
// Filters live in location.search with the API's own parameter names, so a view can be bookmarked.
//
// Modules: core.js (shared pieces), mapview.js, timeline.js, highlight.js, detail.js, article.js.
// This one holds the filters, the lists, the reload of map, timeline and list together, and the router.

import { $, $$, ACLED, api, colourOf, eventHref, FILTERS, fmtFatalities, fmtPlace, hooks, html, whenHtml,
  LIST_PAGE, MAP_MAX, MAP_PAGE, showError, state, statusBadge, storyHref, truncate } from "./core.js";
import { drawMarkers, initMap, onMarkerClick, resizeMap, updateAreaButton } from "./mapview.js";
import { drawTimeline, resizeTimeline } from "./timeline.js";
import { closePanel, openEvent, openStory } from "./detail.js";
import { showArticle } from "./article.js";

// ---------------------------------------------------------------------------------------------
// Filters

function readFiltersFromUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const name of FILTERS) if (params.get(name)) filters[name] = params.get(name);
  return filters;
}
function writeFiltersToForm(filters) {
  const form = $("#filters");
  fillSubTypes(filters.event_type || "");
  for (const name of FILTERS) form.elements[name].value = filters[name] ?? (name === "sort" ? "-date" : "");
  updateAreaButton();
}
function readFiltersFromForm() {
  const form = $("#filters");
  const filters = {};
  for (const name of FILTERS) {
    const v = form.elements[name].value.trim();
    if (v && !(name === "sort" && v === "-date")) filters[name] = name === "country" ? v.toUpperCase() : v;
  }
  return filters;
}
function saveFiltersToUrl(filters) {
  const params = new URLSearchParams(filters);
  const limit = new URLSearchParams(location.search).get("limit");
  if (limit) params.set("limit", limit);
  const search = params.toString();
  history.replaceState(null, "", `${location.pathname}${search ? `?${search}` : ""}${location.hash}`);
}

function fillTypes() {
  const select = $("#filters").elements.event_type;
  for (const type of Object.keys(ACLED)) select.add(new Option(type, type));
}
function fillSubTypes(type) {
  const select = $("#filters").elements.sub_event_type;
  const current = select.value;
  select.length = 1;
  const types = type ? [type] : Object.keys(ACLED);
  for (const t of types) {
    const group = document.createElement("optgroup");
    group.label = t;
    for (const sub of ACLED[t] || []) group.append(new Option(sub, sub));
    select.append(group);
  }
  if ([...select.options].some((o) => o.value === current)) select.value = current;
}

// ---------------------------------------------------------------------------------------------
// Lists

function eventItem(ev) {
  const li = document.createElement("li");
  li.tabIndex = 0;
  li.dataset.testid = "event-item";
  li.dataset.id = ev.id;
  li.dataset.type = ev.acled_event_type;
  li.style.setProperty("--c", colourOf(ev.acled_event_type));
  const place = fmtPlace(ev.place);
  li.innerHTML = html`
    <div class="title">${ev.acled_sub_event_type} ${statusBadge(ev.status)}</div>
    <div class="meta">${whenHtml(ev.when)} · ${place ?? "place unknown"}
      ${ev.actor1 ? html` · ${ev.actor1.name}` : ""}</div>
    <div class="meta">${ev.article?.source ? html`${ev.article.source}: ` : ""}<i>${truncate(ev.article?.title, 70)}</i></div>
    <div class="snippet">${truncate(ev.evidence?.text, 240)}</div>`.s;
  li.addEventListener("click", () => { location.hash = eventHref(ev.id); });
  li.addEventListener("keydown", (e) => { if (e.key === "Enter") location.hash = eventHref(ev.id); });
  return li;
}

function storyItem(st) {
  const li = document.createElement("li");
  li.tabIndex = 0;
  li.dataset.testid = "story-item";
  li.dataset.id = st.id;
  li.style.setProperty("--c", colourOf(st.acled_event_type));
  const src = st.sources || {};
  const disagree = Object.keys(st.disagreements || {});
  li.innerHTML = html`
    <div class="title">${st.acled_sub_event_type} ${statusBadge(st.status)}</div>
    <div class="meta">${whenHtml(st.when)} · ${fmtPlace(st.place) ?? "place unknown"}
      ${st.actor1 ? html` · ${st.actor1.name}` : ""}</div>
    <div class="snippet"><b>${src.independent ?? "?"}</b> independent source${src.independent === 1 ? "" : "s"}
      (${src.articles ?? "?"} article${src.articles === 1 ? "" : "s"})
      ${fmtFatalities(st.fatalities) ? html` · fatalities ${fmtFatalities(st.fatalities)}` : ""}
      ${disagree.length ? html` · <span class="warn">sources disagree on ${disagree.join(", ")}</span>` : ""}</div>`.s;
  li.addEventListener("click", () => { location.hash = storyHref(st.id); });
  li.addEventListener("keydown", (e) => { if (e.key === "Enter") location.hash = storyHref(st.id); });
  return li;
}

function listParams(extra = {}) {
  const limit = Number(new URLSearchParams(location.search).get("limit")) || LIST_PAGE;
  return { ...state.filters, limit, ...extra };
}

async function loadList(more = false) {
  if (!more) state.listGen += 1;
  const gen = state.listGen;
  const items = $("#items");
  const button = $("#load-more");
  const path = state.tab === "events" ? "events" : "stories";
  if (!more) {
    items.innerHTML = "";
    state.next = null;
    state.listed = 0;
  }
  button.disabled = true;
  button.textContent = "Loading…";
  items.dataset.state = "loading";
  try {
    const page = await api(path, listParams(more ? { cursor: state.next } : {}));
    if (gen !== state.listGen) return;
    const make = state.tab === "events" ? eventItem : storyItem;
    for (const item of page.items || []) items.append(make(item));
    state.listed += (page.items || []).length;
    state.next = page.next ?? null;
    if (!state.listed) {
      items.innerHTML = html`<li class="empty" data-testid="empty">No ${state.tab} match these filters.</li>`.s;
    }
    $("#list-head").textContent = state.listed
      ? `${state.listed} ${state.tab} shown${state.next ? ", more to load" : ""}`
      : "";
    items.dataset.state = "ready";
  } catch (err) {
    if (gen !== state.listGen) return;
    items.insertAdjacentHTML("beforeend",
      html`<li class="error" data-testid="list-error">Could not load ${state.tab}: ${err.message}</li>`.s);
    items.dataset.state = "error";
    showError(err.message);
  } finally {
    if (gen === state.listGen) {
      button.hidden = !state.next;
      button.disabled = false;
      button.textContent = `Load more ${state.tab}`;
    }
  }
}

async function loadMapEvents(gen) {
  const events = [];
  let cursor = null;
  do {
    const page = await api("events", { ...state.filters, limit: MAP_PAGE, cursor, sort: undefined });
    if (gen !== state.generation) return null;
    events.push(...(page.items || []));
    cursor = page.next ?? null;
  } while (cursor && events.length < MAP_MAX);
  return { events, truncated: Boolean(cursor) };
}

// Stories or independent sources per day, from the story items: syndicated copies of one report
// count once, which an article-based count of events does not do.
async function loadStoryCounts(gen) {
  const params = { ...state.filters, sort: undefined, limit: MAP_PAGE };
  const counts = {};
  let cursor = null;
  let loaded = 0;
  let dayless = 0;
  do {
    const page = await api("stories", { ...params, cursor });
    if (gen !== state.generation) return;
    for (const st of page.items || []) {
      const day = st.when?.start;
      if (!day || day.length < 10 || (st.when.precision && st.when.precision !== "day")) { dayless += 1; continue; }
      counts[day] = (counts[day] || 0) + (state.countBy === "sources" ? (st.sources?.independent ?? 1) : 1);
    }
    loaded += (page.items || []).length;
    cursor = page.next ?? null;
  } while (cursor && loaded < MAP_MAX);
  const what = state.countBy === "sources" ? "independent sources" : "stories";
  drawTimeline(Object.entries(counts).map(([day, count]) => ({ day, count })),
    dayless ? `${dayless} stor${dayless === 1 ? "y" : "ies"} without an exact day not counted` : "", what);
}

async function loadStats(gen, mapLoad) {
  const params = { ...state.filters };
  delete params.sort;
  if (state.countBy !== "events") {
    try {
      await loadStoryCounts(gen);
      return;
    } catch (err) {
      if (gen !== state.generation) return;
      showError(`${err.message} (the timeline counts events instead)`);
    }
  }
  try {
    const stats = await api("stats", params);
    if (gen !== state.generation) return;
    const dayless = (stats.undated || 0) + (stats.imprecise || 0);
    drawTimeline(stats.by_day || [], dayless ? `${dayless} without an exact day not counted` : "");
  } catch (err) {
    if (gen !== state.generation) return;
    showError(`${err.message} (the timeline counts the events loaded for the map instead)`);
    const loaded = await mapLoad.catch(() => null);
    if (gen !== state.generation) return;
    const counts = {};
    for (const ev of loaded?.events || []) {
      if (ev.when?.start) counts[ev.when.start] = (counts[ev.when.start] || 0) + 1;
    }
    drawTimeline(Object.entries(counts).map(([day, count]) => ({ day, count })), "from loaded events");
  }
}

async function reload({ fit = true } = {}) {
  state.generation += 1;
  const gen = state.generation;
  document.body.dataset.state = "loading";
  $("#status-line").textContent = "Loading…";
  const mapLoad = loadMapEvents(gen);
  const jobs = [loadList(false), loadStats(gen, mapLoad)];
  try {
    const loaded = await mapLoad;
    if (!loaded) return;
    state.mapEvents = loaded.events;
    const shown = drawMarkers(loaded.events, fit && !state.detailKey);
    const missing = loaded.events.length - shown;
    $("#status-line").textContent = `${loaded.events.length}${loaded.truncated ? "+" : ""} events match; ` +
      `${shown} on the map${missing ? `, ${missing} without coordinates` : ""}`;
    if (!loaded.events.length) $("#status-line").textContent = "No events match these filters";
  } catch (err) {
    if (gen !== state.generation) return;
    drawMarkers([], false);
    $("#status-line").textContent = "Could not load events";
    showError(err.message);
  }
  await Promise.allSettled(jobs);
  if (gen === state.generation) document.body.dataset.state = "ready";
}

function applyFilters({ fit = true } = {}) {
  state.filters = readFiltersFromForm();
  saveFiltersToUrl(state.filters);
  updateAreaButton();
  $("#error-banner").hidden = true;
  reload({ fit });
}

function setTab(tab) {
  state.tab = tab;
  for (const b of $$(".tabs button")) b.setAttribute("aria-selected", String(b.dataset.tab === tab));
  loadList(false);
}


function hideArticle() {
  if ($("#article-view").hidden) return;
  $("#article-view").hidden = true;
  $("#article-view").innerHTML = "";
  $("#main-view").hidden = false;
  $("#filters").hidden = false;
  resizeMap();
  resizeTimeline();
}
// ---------------------------------------------------------------------------------------------
// Router and start-up

let fromMapClick = false;

function route() {
  const hash = location.hash.replace(/^#\/?/, "");
  const slash = hash.indexOf("/");
  const kind = slash < 0 ? hash : hash.slice(0, slash);
  const id = slash < 0 ? "" : decodeURIComponent(hash.slice(slash + 1));
  if (kind === "article" && id) {
    state.detailKey = null;
    showArticle(id);
    return;
  }
  hideArticle();
  if (kind === "event" && id) openEvent(id, fromMapClick);
  else if (kind === "story" && id) openStory(id);
  else closePanel();
  fromMapClick = false;
}

function start() {
  if (!window.L || !L.markerClusterGroup || !window.topojson || !window.uPlot) {
    showError("The UI's vendored libraries are missing (src/eventsift/serve/web/vendor/): run `make install`.");
    document.body.dataset.state = "error";
    return;
  }
  fillTypes();
  state.filters = readFiltersFromUrl();
  writeFiltersToForm(state.filters);
  const form = $("#filters");
  form.addEventListener("submit", (e) => { e.preventDefault(); applyFilters(); });
  form.elements.event_type.addEventListener("change", () => {
    fillSubTypes(form.elements.event_type.value);
    applyFilters();
  });
  for (const name of ["sub_event_type", "status", "sort", "date_from", "date_to"]) {
    form.elements[name].addEventListener("change", applyFilters);
  }
  $("#filter-clear").addEventListener("click", () => {
    writeFiltersToForm({});
    applyFilters();
  });
  for (const b of $$(".tabs button")) b.addEventListener("click", () => setTab(b.dataset.tab));
  $("#load-more").addEventListener("click", () => loadList(true));
  $("#filters-toggle").addEventListener("click", (e) => {  // a phone shows the filters on demand
    const open = $("#filters").classList.toggle("open");
    e.target.setAttribute("aria-expanded", String(open));
  });
  $("#count-by").addEventListener("change", (e) => {
    state.countBy = e.target.value;
    state.generation += 1;
    const gen = state.generation;
    document.body.dataset.state = "loading";
    loadStats(gen, Promise.resolve(null)).finally(() => {
      if (gen === state.generation) document.body.dataset.state = "ready";
    });
  });
  $("#detail-close").addEventListener("click", () => { location.hash = "#/"; });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !$("#detail").hidden) location.hash = "#/";
  });
  initMap();
  // a marker click sets the hash; remember it came from the map so the map does not jump
  onMarkerClick(() => { fromMapClick = true; });
  window.addEventListener("hashchange", route);
  reload();
  route();
}

hooks.applyFilters = applyFilters;
start();
