// eventsift web UI: the detail panel, an event with the words behind each field, or a story with
// its sources.

import { $, $$, api, articleHref, CAMEO_ROOTS, colourOf, esc, eventHref, fmtFatalities, fmtPlace, fmtValue,
  fmtWhen, dayHtml, html, raw, state, statusBadge, storyHref, truncate, unknown, whenHtml } from "./core.js";
import { EVENT_LEGEND, eventSpans, highlight } from "./highlight.js";
import { hasPoint, showSelection } from "./mapview.js";

// ---------------------------------------------------------------------------------------------
// Detail panel

function openPanel() {
  $("#detail").hidden = false;
  $("#detail").scrollTop = 0;
  // a phone stacks the panel under the map: bring it up, or a tap on a list item seems to do nothing
  if (window.matchMedia("(max-width: 700px)").matches) $("#detail").scrollIntoView({ block: "start" });
}
export function closePanel() {
  $("#detail").hidden = true;
  $("#detail-body").innerHTML = "";
  state.detailKey = null;
  showSelection(null);
}

function words(items) {
  // items: [{field, text}] -> clickable quoted words that scroll to the span in the article text
  const shown = items.filter((w) => w && w.text);
  if (!shown.length) return "";
  return html`<span class="words">${shown.map((w, i) => html`${i ? " " : ""}<q data-jump="${w.field}"
    title="show in the text">${w.text}</q>`)}</span>`;
}
function row(label, value, ws = [], note = null, testid = null) {
  return html`<tr${testid ? raw(` data-testid="${esc(testid)}"`) : ""}><th>${label}</th><td>${value ?? unknown()}${words(ws)}
    ${note ? html`<span class="note">${note}</span>` : ""}</td></tr>`;
}

function eventFieldsTable(ev) {
  const trig = ev.trigger ? [{ field: "trigger", text: ev.trigger.text }] : [];
  const actor = (a, field) => (a ? html`${a.name}${a.kind ? html` <span class="muted">(${a.kind})</span>` : ""}` : null);
  const p = ev.place;
  const placeValue = p ? html`${p.name || p.text}${p.admin1 ? html` · ${p.admin1}` : ""}${p.country ? html` · ${p.country}` : ""}
    <span class="badge" data-testid="precision">${p.precision || "precision unknown"}</span>
    ${hasPoint(p) ? "" : html` <span class="muted">(no coordinates)</span>`}` : null;
  const f = ev.fatalities;
  const fatal = fmtFatalities(f);
  return html`<table class="fields" data-testid="event-fields">
    ${row("Type", ev.acled_event_type, trig, null, "field-type")}
    ${row("Sub-type", ev.acled_sub_event_type, trig, null, "field-sub-type")}
    ${row("CAMEO", ev.cameo_root ? `${ev.cameo_root} ${CAMEO_ROOTS[ev.cameo_root] ?? ""}` : null, ev.cameo_root ? trig : [], null, "field-cameo")}
    ${row("PLOVER", ev.plover_type ? `${ev.plover_type}${ev.plover_mode ? ` (${ev.plover_mode})` : ""}` : null,
      ev.plover_type ? trig : [], null, "field-plover")}
    ${row("Actor 1", actor(ev.actor1), [{ field: "actor1", text: ev.actor1?.span?.text }], null, "field-actor1")}
    ${row("Actor 2", actor(ev.actor2), [{ field: "actor2", text: ev.actor2?.span?.text }], null, "field-actor2")}
    ${(ev.associated || []).length ? row("Associated", ev.associated.map((a) => a.name).join(", "),
      ev.associated.map((a, i) => ({ field: `associated-${i}`, text: a.span?.text }))) : ""}
    ${(ev.targets || []).length ? row("Targets", (ev.targets || []).map((t) => t.name || t.text).join(", "),
      ev.targets.map((t, i) => ({ field: `target-${i}`, text: (t.span || t).text }))) : ""}
    ${row("Place", placeValue, [{ field: "place", text: p?.text }], p?.note, "field-place")}
    ${row("Date", fmtWhen(ev.when) ? whenHtml(ev.when) : null, [{ field: "when", text: ev.when?.span?.text ?? ev.when?.text }],
      ev.when?.note, "field-date")}
    ${row("Fatalities", fatal === null ? null : html`${fatal}${f?.qualifier ? html` <span class="muted">(${f.qualifier})</span>` : ""}
      ${f?.injured ? html` · injured ${f.injured}` : ""}`, [{ field: "fatalities", text: f?.span?.text }], f?.note, "field-fatalities")}
    ${row("Status", html`${statusBadge(ev.status)} ${ev.temporal_status ? html`<span class="muted">${ev.temporal_status}</span>` : ""}`,
      (ev.hedges || []).map((h, i) => ({ field: `hedge-${i}`, text: h.text })), null, "field-status")}
  </table>`;
}

function claimsList(claims, withArticle = false) {
  const said = (c, i) => (withArticle ? (c.span ? html`<span class="words"><q>${c.span.text}</q></span>` : "")
    : (c.span ? words([{ field: `claim-${i}`, text: c.span.text }]) : ""));
  if (!claims || !claims.length) return html`<p class="muted">No claimant: the report states this itself.</p>`;
  return html`<ul class="plain" data-testid="claims">${claims.map((c, i) => html`<li data-testid="claim">
    <b>${c.claimant}</b> <span class="muted">via</span> ${c.channel ?? unknown("channel not stated")}
    ${c.origin && c.origin !== c.claimant ? html` <span class="muted">· origin ${c.origin}</span>` : ""}
    ${withArticle && c.article_id ? html` · <a href="${articleHref(c.article_id)}">${articleName(c.article_id)}</a>` : ""}
    ${said(c, i)}</li>`)}</ul>`;
}

function bindJumps(root) {
  for (const q of $$("q[data-jump]", root)) {
    q.addEventListener("click", () => {
      const mark = $(`mark[data-field="${CSS.escape(q.dataset.jump)}"]`, root);
      if (!mark) return;
      mark.scrollIntoView({ block: "center", behavior: "smooth" });
      mark.classList.remove("flash");
      void mark.offsetWidth;
      mark.classList.add("flash");
    });
  }
}

function articleBlock(article, ev) {
  const spans = eventSpans(ev);
  const where = ev.in_title === "title" ? "title" : ev.in_title === "standfirst" ? "standfirst" : "body";
  const parts = {};
  let bad = [];
  for (const key of ["title", "standfirst", "body"]) {
    const { html: h, bad: b } = highlight(article[key] || "", key === where ? spans : []);
    parts[key] = h;
    if (key === where) bad = b;
  }
  return html`
    ${EVENT_LEGEND}
    <div class="article-text compact" data-testid="detail-article-text">${article.title ? html`<div class="article-title">${parts.title}</div>` : ""}${article.standfirst ? html`<div class="article-standfirst">${parts.standfirst}</div>` : ""}
<div>${parts.body}</div></div>
    ${bad.length ? html`<p class="warn" data-testid="span-mismatch">${bad.length} span(s) do not match the article text and are not highlighted.</p>` : ""}
    <p class="small"><a href="${articleHref(article.id)}" data-testid="open-article">Open the article view</a> (all entities, places, dates, quotes; what cleaning removed)</p>`;
}

const fetchEvent = (id) => api(`events/${encodeURIComponent(id)}`);

// Open the side panel on one item and fetch it; null when another item was opened meanwhile (or
// this one is already open), or when the fetch failed (the panel then shows the error).
async function loadDetail(key, what, fetchItem) {
  if (state.detailKey === key) return null;
  state.detailKey = key;
  openPanel();
  const body = $("#detail-body");
  const detail = $("#detail");
  detail.dataset.state = "loading";
  body.innerHTML = html`<p class="muted">Loading ${what}…</p>`.s;
  let item;
  try {
    item = await fetchItem();
  } catch (err) {
    if (state.detailKey !== key) return null;
    body.innerHTML = html`<p class="warn" data-testid="detail-error">${err.message}</p>`.s;
    detail.dataset.state = "error";
    return null;
  }
  return state.detailKey === key ? { item, body, detail } : null;
}

export async function openEvent(id, fromMap) {
  const key = `event:${id}`;
  const loaded = await loadDetail(key, "event", () => fetchEvent(id));
  if (!loaded) return;
  const { item: ev, body, detail } = loaded;
  showSelection(ev.place, !fromMap, ev.id);
  const a = ev.article || {};
  body.innerHTML = html`<div data-testid="event-detail" data-id="${ev.id}">
    <h2><span class="dot" style="--c:${colourOf(ev.acled_event_type)}"></span>${ev.acled_sub_event_type}</h2>
    <div class="kv muted">${ev.acled_event_type} · ${whenHtml(ev.when)} · ${fmtPlace(ev.place) ?? "place unknown"}</div>
    <div class="kv">From <a href="${articleHref(ev.article_id)}">${a.title || ev.article_id}</a>
      ${a.source ? html` · ${a.source}` : ""}${a.published ? html` · published ${dayHtml(a.published)}` : ""}</div>
    ${ev.story_id ? html`<div class="kv">Part of <a href="${storyHref(ev.story_id)}" data-testid="event-story-link">story ${ev.story_id}</a>
      ${ev.merge_reason ? html` <span class="muted">(joined: ${ev.merge_reason})</span>` : html` <span class="muted">(started it)</span>`}</div>` : ""}
    <h3>Fields and the words they were read from</h3>
    ${eventFieldsTable(ev)}
    <h3>Who says so</h3>
    ${claimsList(ev.claims)}
    <h3>Article text</h3>
    <div id="detail-article" data-testid="detail-article"><p class="muted">Loading article…</p></div>
  </div>`.s;
  bindJumps(body);
  try {
    const article = await api(`articles/${encodeURIComponent(ev.article_id)}`);
    if (state.detailKey !== key) return;
    $("#detail-article").innerHTML = articleBlock(article, ev).s;
    bindJumps(body);
    // bring the evidence into view inside the text box, leaving the panel at the fields
    const box = $(".article-text.compact", body);
    const mark = $('mark[data-testid="evidence-highlight"]', body);
    if (box && mark) box.scrollTop = Math.max(0, mark.offsetTop - 24);
    detail.dataset.state = "ready";
  } catch (err) {
    if (state.detailKey !== key) return;
    $("#detail-article").innerHTML = html`<p class="warn" data-testid="detail-error">${err.message}</p>
      <p>Evidence: <q>${ev.evidence?.text}</q></p>`.s;
    detail.dataset.state = "error";
  }
}

// Provenance values grouped by value: [{label, provs}]
function byValue(provs) {
  const groups = new Map();
  for (const p of provs || []) {
    const label = fmtValue(p.value);
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label).push(p);
  }
  return [...groups.entries()].map(([label, ps]) => ({ label, provs: ps }));
}
let articleNames = new Map();  // article id -> short name, from the open story's source groups
function articleName(id) {
  return articleNames.get(id) || id;
}
function provSources(provs) {
  return provs.map((p, i) => html`${i ? ", " : ""}<a href="${eventHref(p.event_id)}" data-testid="provenance"
    title="${p.span?.text ? `“${p.span.text}”` : "no words"}">${p.source || articleName(p.article_id)}</a>${p.group ? html` <span class="muted" title="syndication group ${p.group}">[group ${p.group.slice(0, 6)}]</span>` : ""}`);
}
const FIELD_LABELS = {
  acled_event_type: "Type", acled_sub_event_type: "Sub-type", place: "Place", when: "Date", actor1: "Actor 1",
  actor2: "Actor 2", fatalities: "Fatalities", status: "Status", cameo_root: "CAMEO", plover_type: "PLOVER",
};

// The words a field was read from, each once; a field read from the whole sentence (the evidence,
// shown once under "Reports merged") gets no quote of its own, and long words are cut.
function fieldWords(provs, evidence) {
  const texts = [...new Set(provs.map((p) => p.span?.text).filter((t) => t && !evidence.has(t)))];
  if (!texts.length) return "";
  return html`<span class="words">${texts.map((t) => html`<q title="${t}">${truncate(t, 80)}</q> `)}</span>`;
}

// One field across the story's reports: when every report gives the same value, say so once
// instead of naming every report again; sources are named where the values part.
function fieldValues(provs, evidence) {
  const groups = byValue(provs);
  if (!groups.length) return unknown();
  if (groups.length === 1 && provs.length > 1) {
    return html`<div>${groups[0].label} <span class="muted" title="${provs.map((p) => p.source || articleName(p.article_id)).join(", ")}">
      · all ${provs.length} reports</span>${fieldWords(provs, evidence)}</div>`;
  }
  return groups.map((g) => html`<div>${g.label} <span class="muted">·</span> ${provSources(g.provs)}
    ${fieldWords(g.provs, evidence)}</div>`);
}

export async function openStory(id) {
  const loaded = await loadDetail(`story:${id}`, "story", () => api(`stories/${encodeURIComponent(id)}`));
  if (!loaded) return;
  const { item: st, body, detail } = loaded;
  showSelection(st.place, true, st.id);
  const src = st.sources || {};
  const groups = src.groups || [];
  articleNames = new Map(groups.flatMap((g) => (g.articles || []).map((a) =>
    [a.id, a.source || truncate(a.title, 40) || a.id])));
  const disagreements = Object.entries(st.disagreements || {});
  const fields = Object.entries(st.fields || {});
  const fat = st.fatalities;
  const events = st.event_items || [];
  const merges = new Map((st.merges || []).map((m) => [m.event_id, m.reason]));
  const evidence = new Set(events.map((ev) => ev.evidence?.text).filter(Boolean));
  body.innerHTML = html`<div data-testid="story-detail" data-id="${st.id}">
    <h2><span class="dot" style="--c:${colourOf(st.acled_event_type)}"></span>${st.acled_sub_event_type} ${statusBadge(st.status)}</h2>
    <div class="kv muted">${st.acled_event_type} · ${whenHtml(st.when)} · ${fmtPlace(st.place) ?? "place unknown"}
      ${st.place?.precision ? html` <span class="badge">${st.place.precision}</span>` : ""}</div>
    <div class="kv">${st.actor1 ? html`<b>${st.actor1.name}</b>` : unknown("actor unknown")}
      ${st.actor2 ? html` against <b>${st.actor2.name}</b>` : ""}
      ${st.cameo_root ? html` · CAMEO ${st.cameo_root} ${CAMEO_ROOTS[st.cameo_root] ?? ""}` : ""}
      ${st.plover_type ? html` · PLOVER ${st.plover_type}${st.plover_mode ? ` (${st.plover_mode})` : ""}` : ""}</div>

    <h3>Sources</h3>
    <div data-testid="story-sources">
      <div><span class="big-number" data-testid="story-independent">${src.independent ?? "?"}</span>
        independent source${src.independent === 1 ? "" : "s"}
        <span class="muted">· ${src.articles ?? "?"} article${src.articles === 1 ? "" : "s"}
        · ${src.origins ?? "?"} originating claimant${src.origins === 1 ? "" : "s"}</span></div>
      <p class="small muted">Copies in one syndication group count once.</p>
      ${groups.map((g) => html`<div class="group" data-testid="story-group">
        <div class="group-name">Syndication group ${g.group}${(g.articles || []).length > 1 ? ` · ${g.articles.length} copies, one source` : ""}</div>
        <ul class="plain">${(g.articles || []).map((a) => html`<li data-testid="story-article">
          <a href="${articleHref(a.id)}">${a.title || a.id}</a> <span class="muted">${a.source ?? ""}${a.published ? html` · ${dayHtml(a.published)}` : ""}</span></li>`)}</ul>
      </div>`)}
    </div>

    ${disagreements.length ? html`<h3>Sources disagree</h3><div data-testid="story-disagreements">
      ${disagreements.map(([field, provs]) => html`<div class="disagreement" data-testid="disagreement" data-field="${field}">
        <b>${FIELD_LABELS[field] ?? field}:</b>
        ${byValue(provs).map((g, i) => html`${i ? html`<span class="vs">vs</span>` : ""}<b>${g.label}</b> (${provSources(g.provs)})`)}
      </div>`)}</div>` : html`<h3>Sources disagree</h3><p class="muted" data-testid="story-disagreements">on nothing: every source gives the same values.</p>`}

    <h3>Fatalities</h3>
    <div data-testid="story-fatalities">${fmtFatalities(fat) ? html`<b>${fmtFatalities(fat)}</b>` : unknown()}
      ${fat?.rule ? html` <span class="muted">(${fat.rule})</span>` : ""}
      ${(fat?.reported || []).length ? html`<ul class="plain">${fat.reported.map((p) => html`<li>${fmtValue(p.value)} · ${provSources([p])}
        ${p.span ? html` <span class="words"><q>${p.span.text}</q></span>` : ""}</li>`)}</ul>` : ""}</div>

    <h3>Fields by source</h3>
    <table class="fields" data-testid="story-fields">${fields.map(([field, provs]) => html`<tr>
      <th>${FIELD_LABELS[field] ?? field}</th>
      <td>${fieldValues(provs, evidence)}</td></tr>`)}</table>

    <h3>Who says so</h3>
    ${claimsList(st.claims, true)}

    <h3>Reports merged into this story</h3>
    <ul class="plain" data-testid="story-merges">${events.length ? events.map((ev) => html`<li data-testid="story-event">
        <a href="${eventHref(ev.id)}">${ev.acled_sub_event_type}</a> · ${ev.article?.source ?? ev.article_id}
        · ${whenHtml(ev.when)}
        <span class="words">${merges.has(ev.id) ? html`merged: ${merges.get(ev.id)}` : ev.merge_reason ? html`merged: ${ev.merge_reason}` : "started the story"}</span>
        <span class="words"><q>${truncate(ev.evidence?.text, 200)}</q></span></li>`)
      : (st.merges || []).map((m) => html`<li><a href="${eventHref(m.event_id)}">${m.event_id}</a> <span class="words">merged: ${m.reason}</span></li>`)}
    </ul>
    ${st.updated_at ? html`<p class="small muted">Updated ${dayHtml(st.updated_at)}</p>` : ""}
  </div>`.s;
  detail.dataset.state = "ready";
}
