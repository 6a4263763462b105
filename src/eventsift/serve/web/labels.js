// eventsift web UI: names on the map. The basemap has no tiles, so every name is drawn here:
// country names from the Natural Earth outlines already loaded (their `name` property), and towns
// from the gazetteer (GET map/places: the most populous places in the view, so a world view names
// big cities and a district view names its villages). Labels that would overlap are dropped,
// the more important first: countries before towns when zoomed out, towns first when zoomed in.

import { $, api, state } from "./core.js";

let map = null;
let layer = null;
let countries = [];   // [{ name, lat, lon, area }]
let towns = [];       // the last answer of map/places
let request = 0;
let timer = null;

const COUNTRY_ZOOM_MAX = 6;  // past this the view is inside one country: its name is noise
const townLimit = (zoom) => (zoom < 3 ? 60 : zoom < 5 ? 100 : 120);
const GAP = 3;  // pixels kept free around each label

export function initLabels(leafletMap) {
  map = leafletMap;
  map.createPane("labels");
  map.getPane("labels").style.zIndex = 450;  // above the outlines, below the event markers
  map.getPane("labels").style.pointerEvents = "none";
  layer = L.layerGroup([], { pane: "labels" }).addTo(map);
  map.on("moveend", schedule);
  schedule();
}

// Natural Earth country features -> one label point each: the centroid of the largest ring.
export function setCountries(features) {
  countries = [];
  for (const f of features) {
    const name = f.properties?.name;
    const rings = f.geometry?.type === "Polygon" ? [f.geometry.coordinates[0]]
      : f.geometry?.type === "MultiPolygon" ? f.geometry.coordinates.map((p) => p[0]) : [];
    let best = null;
    for (const ring of rings) {
      const c = ringCentroid(ring);
      if (c && (!best || c.area > best.area)) best = c;
    }
    if (name && best) countries.push({ name, lat: best.lat, lon: best.lon, area: best.area });
  }
  countries.sort((a, b) => b.area - a.area);
  draw();
}

function ringCentroid(ring) {
  let a = 0; let x = 0; let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f; x += (ring[j][0] + ring[i][0]) * f; y += (ring[j][1] + ring[i][1]) * f;
  }
  if (Math.abs(a) < 1e-9) return null;
  return { lon: x / (3 * a), lat: y / (3 * a), area: Math.abs(a) / 2 };
}

function schedule() {
  $("#map").dataset.labelsPending = "1";  // settled ("0") once the names of this view are drawn
  clearTimeout(timer);
  timer = setTimeout(loadTowns, 150);
}

const wrap = (x) => ((((x + 180) % 360) + 360) % 360) - 180;

async function loadTowns() {
  const b = map.getBounds();
  const wide = b.getEast() - b.getWest() >= 360;
  const bbox = [wide ? -180 : wrap(b.getWest()), Math.max(-90, b.getSouth()), wide ? 180 : wrap(b.getEast()),
    Math.min(90, b.getNorth())].map((v) => v.toFixed(3)).join(",");
  const mine = ++request;
  try {
    const answer = await api("map/places", { bbox, limit: townLimit(map.getZoom()) });
    if (mine !== request) return;
    towns = answer.places || [];
    $("#map").dataset.labelSource = answer.source || answer.note || "";
    $("#map").dataset.labelQuery = new URLSearchParams({ bbox, limit: townLimit(map.getZoom()) }).toString();
  } catch {
    if (mine !== request) return;
    towns = [];  // names are a help, not the data: the map works without them
  }
  draw();
  $("#map").dataset.labelsPending = "0";
}

export const redrawLabels = () => draw();

// Place labels greedily; a label whose box meets one already placed is left out.
function draw() {
  if (!map || !layer) return;
  layer.clearLayers();
  const zoom = map.getZoom();
  const size = map.getSize();
  const taken = [];
  const fits = (p, w, h) => {
    const box = [p.x - w / 2 - GAP, p.y - h / 2 - GAP, p.x + w / 2 + GAP, p.y + h / 2 + GAP];
    if (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y) return false;
    if (taken.some((t) => box[0] < t[2] && box[2] > t[0] && box[1] < t[3] && box[3] > t[1])) return false;
    taken.push(box);
    return true;
  };
  // the event markers come first: a name never hides one
  for (const marker of state.markers.values()) {
    const p = map.latLngToContainerPoint(marker.getLatLng());
    taken.push([p.x - 14, p.y - 14, p.x + 14, p.y + 14]);
  }
  const shown = { country: 0, place: 0 };
  const add = (kind, item, latlng) => {
    const p = map.latLngToContainerPoint(latlng);
    const w = item.name.length * (kind === "country" ? 7.2 : 6.4) + (kind === "place" ? 10 : 4);
    if (!fits(kind === "place" ? L.point(p.x + w / 2 - 4, p.y) : p, w, 15)) return;
    const icon = L.divIcon({ className: `map-label ${kind}`, iconSize: null,
      html: `<span data-testid="map-label" data-kind="${kind}"></span>` });
    const marker = L.marker(latlng, { icon, pane: "labels", interactive: false, keyboard: false });
    marker.addTo(layer);
    marker.getElement().firstChild.textContent = item.name;
    shown[kind] += 1;
  };
  // the view may show the world more than once; put each label in the copy nearest the centre
  const centre = map.getCenter().lng;
  const near = (lat, lon) => L.latLng(lat, lon + 360 * Math.round((centre - lon) / 360));
  const countryLabels = () => { if (zoom <= COUNTRY_ZOOM_MAX) for (const c of countries) add("country", c, near(c.lat, c.lon)); };
  const townLabels = () => { for (const t of towns) add("place", t, near(t.lat, t.lon)); };
  if (zoom < 4) { countryLabels(); townLabels(); } else { townLabels(); countryLabels(); }
  $("#map").dataset.labelsCountry = String(shown.country);
  $("#map").dataset.labelsPlace = String(shown.place);
}
