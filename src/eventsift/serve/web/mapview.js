// eventsift web UI: the map (Natural Earth outlines, names from labels.js, clustered event markers,
// the selection ringed).

import { $, api, colourOf, eventHref, fmtPlace, hooks, html, PRECISION, showError, state,
  TYPE_COLOURS, whenHtml } from "./core.js";
import { initLabels, redrawLabels, setCountries } from "./labels.js";

// ---------------------------------------------------------------------------------------------
// Map

let map = null;
let cluster = null;

export function initMap() {
  map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5, preferCanvas: false });
  map.attributionControl.addAttribution("Outlines: Natural Earth · place names: GeoNames");
  map.createPane("selection");
  map.getPane("selection").style.zIndex = 650;  // above the markers: the ring stays visible
  map.getPane("selection").style.pointerEvents = "none";
  map.setView([30, 20], 2);
  cluster = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    spiderfyOnMaxZoom: true,
    chunkedLoading: true,
    iconCreateFunction: clusterIcon,
  });
  map.addLayer(cluster);
  initLabels(map);
  addMapLegend();
  addAreaControl();
  loadBasemap();
}

async function loadBasemap() {
  try {
    const world = await api("static/vendor/world-atlas/countries-50m.json");
    const countries = topojson.feature(world, world.objects.countries);
    for (const f of countries.features) fixAntimeridian(f.geometry);
    L.geoJSON(countries, {
      renderer: L.canvas({ padding: 0.5 }),
      interactive: false,
      style: { color: "#9d978a", weight: 0.7, fillColor: "#eeeadf", fillOpacity: 1 },
    }).addTo(map).bringToBack();
    $("#map").dataset.basemap = String(countries.features.length);
    setCountries(countries.features);
  } catch (err) {
    showError(`The map's country outlines could not be loaded (${err.message}); run \`make install\` to vendor them.`);
  }
}

// Natural Earth rings are cut at ±180°. On a flat map a ring that jumps from 180 to -180 draws a line
// across the world: unwrap such rings (Russia, Fiji) into one continuous stretch, and close a ring
// that goes round a pole (Antarctica) along the pole instead of across the map.
function fixAntimeridian(geometry) {
  if (!geometry) return;
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates]
    : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  for (const polygon of polygons) {
    for (let r = 0; r < polygon.length; r++) {
      const ring = polygon[r];
      const jumps = [];
      for (let i = 1; i < ring.length; i++) if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) jumps.push(i);
      if (!jumps.length) continue;
      if (jumps.length % 2 === 1) {
        const i = jumps[0];
        const [a, b] = [ring[i - 1], ring[i]];
        const pole = a[1] + b[1] < 0 ? -90 : 90;
        ring.splice(i, 0, [a[0], pole], [b[0], pole]);
        continue;
      }
      let shift = 0;
      const out = [ring[0].slice()];
      for (let i = 1; i < ring.length; i++) {
        const d = ring[i][0] - ring[i - 1][0];
        if (d > 180) shift -= 360;
        else if (d < -180) shift += 360;
        out.push([ring[i][0] + shift, ring[i][1]]);
      }
      const mean = out.reduce((sum, p) => sum + p[0], 0) / out.length;
      const back = mean > 180 ? -360 : mean < -180 ? 360 : 0;
      polygon[r] = out.map(([x, y]) => [x + back, y]);
    }
  }
}

// "Only this map area": the API's bbox filter (west,south,east,north) from the map's view.
const wrapLon = (x) => ((((x + 180) % 360) + 360) % 360) - 180;
function viewBbox() {
  const b = map.getBounds();
  const south = Math.max(-90, b.getSouth()).toFixed(4);
  const north = Math.min(90, b.getNorth()).toFixed(4);
  if (b.getEast() - b.getWest() >= 360) return `-180,${south},180,${north}`;
  return `${wrapLon(b.getWest()).toFixed(4)},${south},${wrapLon(b.getEast()).toFixed(4)},${north}`;
}
export function updateAreaButton() {
  const button = $("#area-button");
  if (!button) return;
  const on = Boolean($("#filters").elements.bbox.value);
  button.textContent = on ? "Any area" : "Only this map area";
  button.title = on ? `Showing events in ${$("#filters").elements.bbox.value} (west,south,east,north); click to clear`
    : "Show only the events inside the map's current view";
  button.classList.toggle("on", on);
}
function addAreaControl() {
  const control = L.control({ position: "topright" });
  control.onAdd = () => {
    const button = L.DomUtil.create("button", "area-button");
    button.type = "button";
    button.id = "area-button";
    button.dataset.testid = "filter-bbox";
    L.DomEvent.disableClickPropagation(button);
    button.addEventListener("click", () => {
      const input = $("#filters").elements.bbox;
      input.value = input.value ? "" : viewBbox();
      hooks.applyFilters({ fit: false });
    });
    return button;
  };
  control.addTo(map);
  updateAreaButton();
}

function addMapLegend() {
  const legend = L.control({ position: "bottomright" });
  legend.onAdd = () => {
    const div = L.DomUtil.create("div", "map-legend");
    div.dataset.testid = "map-legend";
    const types = Object.entries(TYPE_COLOURS).map(([t, c]) =>
      html`<div class="row"><span class="mk" style="background:${c};border-radius:50%"></span>${t}</div>`);
    const precisions = ["city", "region", "country"].map((p) =>
      html`<div class="row"><span class="ev-marker" style="display:inline-block;width:14px;height:14px;vertical-align:-2px;margin-right:4px">
        <span class="mk p-${p}" style="--c:#444"></span></span>${PRECISION[p].label}</div>`);
    const selected = html`<div class="row"><span class="ring-sample"></span>selected event or story</div>`;
    const names = html`<div class="row muted">names: countries (Natural Earth), towns (GeoNames)</div>`;
    // a phone's map is small: the legend starts folded there
    const open = window.matchMedia("(min-width: 700px)").matches ? " open" : "";
    div.innerHTML = html`<details${open}><summary>Legend</summary>${types}<div class="sep">Place known to:</div>${precisions}
      <div class="sep"></div>${selected}${names}</details>`.s;
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);
}

export function onMarkerClick(callback) {
  cluster.on("click", callback);
}

function clusterIcon(group) {
  const children = group.getAllChildMarkers();
  const counts = {};
  for (const m of children) counts[m.options.eventType] = (counts[m.options.eventType] || 0) + 1;
  let angle = 0;
  const stops = [];
  for (const [type, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) {
    const next = angle + (360 * n) / children.length;
    stops.push(`${colourOf(type)} ${angle}deg ${next}deg`);
    angle = next;
  }
  const size = children.length < 10 ? 34 : children.length < 100 ? 42 : 50;
  return L.divIcon({
    className: "ev-cluster",
    iconSize: [size, size],
    html: html`<div class="pie" data-testid="map-cluster" style="background: conic-gradient(${stops.join(", ")})"><span>${children.length}</span></div>`.s,
  });
}

function markerFor(ev) {
  const p = ev.place;
  const precision = PRECISION[p.precision] ? p.precision : "country";
  const size = PRECISION[precision].size;
  const icon = L.divIcon({
    className: "ev-marker",
    iconSize: [size, size],
    html: html`<span class="mk p-${precision}" style="--c:${colourOf(ev.acled_event_type)}"
      data-testid="map-marker" data-id="${ev.id}"></span>`.s,
  });
  const marker = L.marker([p.lat, p.lon], { icon, eventType: ev.acled_event_type, keyboard: true,
    title: `${ev.acled_sub_event_type}: ${fmtPlace(p)}` });
  marker.bindTooltip(html`<b>${ev.acled_sub_event_type}</b><br>${whenHtml(ev.when)} · ${fmtPlace(p)}
    <span class="muted">(${PRECISION[precision].label})</span>`.s, { direction: "top", offset: [0, -size / 2] });
  marker.on("click", () => { location.hash = eventHref(ev.id); });
  return marker;
}

export function hasPoint(place) {
  return place && typeof place.lat === "number" && typeof place.lon === "number";
}

export function drawMarkers(events, fit) {
  cluster.clearLayers();
  state.markers.clear();
  const layers = [];
  for (const ev of events) {
    if (!hasPoint(ev.place)) continue;
    const m = markerFor(ev);
    state.markers.set(ev.id, m);
    layers.push(m);
  }
  cluster.addLayers(layers);
  $("#map").dataset.markers = String(layers.length);
  redrawLabels();
  state.needsFit = false;
  if (fit && layers.length) {
    if ($("#main-view").hidden) state.needsFit = true;  // no size to fit to yet
    else fitMarkers();
  }
  return layers.length;
}
export function resizeMap() {
  if (!map) return;
  map.invalidateSize();
  if (state.needsFit) { state.needsFit = false; fitMarkers(); }
}
function fitMarkers() {
  const points = [...state.markers.values()].map((m) => m.getLatLng());
  if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 6 });
}

// The selected event or story: a ring of fixed size on its point (seen at any zoom, above the
// markers and clusters) and the area its place's precision allows (a town: 5 km; a region: 120 km).
export function showSelection(place, move, id = "") {
  if (state.selectedLayer) { state.selectedLayer.remove(); state.selectedLayer = null; }
  const box = $("#map");
  delete box.dataset.selected;
  if (!map || !hasPoint(place)) return;
  const precision = PRECISION[place.precision] ? place.precision : "country";
  const at = [place.lat, place.lon];
  const area = L.circle(at, { radius: PRECISION[precision].radius, color: "#111", weight: 1.5, dashArray: "6 5",
    fill: true, fillOpacity: 0.06, interactive: false });
  const halo = L.circleMarker(at, { pane: "selection", radius: 17, color: "#fff", weight: 7, fill: false,
    interactive: false });
  const ring = L.circleMarker(at, { pane: "selection", radius: 17, color: "#111", weight: 3, fill: false,
    interactive: false, className: "selected-ring" });
  state.selectedLayer = L.layerGroup([area, halo, ring]).addTo(map);
  box.dataset.selected = id;
  ring.getElement()?.setAttribute("data-testid", "selected-ring");
  if (move) map.fitBounds(area.getBounds(), { maxZoom: 7, animate: false });
}

