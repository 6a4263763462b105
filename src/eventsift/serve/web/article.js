// eventsift web UI: the article view, the cleaned text with every reading highlighted, and what
// cleaning removed.

import { $, $$, api, colourOf, dayHtml, eventHref, eventIdFor, fmtPlace, html, statusBadge, truncate,
  unknown, whenHtml } from "./core.js";
import { highlight } from "./highlight.js";

// ---------------------------------------------------------------------------------------------
// Article view

const LAYERS = [
  ["entity", "hl-entity", "entities (actors, people)"],
  ["place", "hl-place", "places"],
  ["time", "hl-time", "dates and times"],
  ["quote", "hl-quote", "quotes"],
  ["event", "hl-event", "event evidence"],
];

function articleSpans(article) {
  const spans = [];
  const eventId = (e) => eventIdFor(article.id, e);
  for (const e of article.events || []) {
    if (e.in_title) continue;
    const ev = e.evidence;
    if (ev) spans.push({ ...ev, cls: "hl-event", rank: 0, attrs: { "data-event-id": eventId(e),
      "data-testid": "article-event", title: `${e.acled_sub_event_type} (${e.status}) — click for details` } });
  }
  for (const q of article.quotes || []) {
    const who = q.speaker?.text ?? "unknown speaker";
    if (q.content) spans.push({ ...q.content, cls: "hl-quote", rank: 1,
      attrs: { "data-testid": "article-quote", title: `quote: ${who}${q.channel ? ` via ${q.channel}` : ""}` } });
    if (q.speaker && q.speaker.start !== null && q.speaker.start !== undefined) {
      spans.push({ start: q.speaker.start, end: q.speaker.end, text: q.speaker.text, cls: "hl-speaker", rank: 2,
        attrs: { title: "speaker" } });
    }
    if (q.cue) spans.push({ ...q.cue, cls: "hl-cue", rank: 2, attrs: { title: "speech cue" } });
  }
  for (const ent of article.entities || []) {
    for (const m of ent.mentions || []) {
      spans.push({ ...m, cls: "hl-entity", rank: 3, attrs: { "data-testid": "article-entity",
        title: `${ent.name}${ent.kind ? ` (${ent.kind})` : ""}${ent.country ? `, ${ent.country}` : ""}` } });
    }
  }
  for (const p of article.places || []) {
    spans.push({ start: p.start, end: p.end, text: p.text, cls: "hl-place", rank: 4, attrs: { "data-testid": "article-place",
      title: `${p.name ?? p.text}${p.admin1 ? `, ${p.admin1}` : ""}${p.country ? `, ${p.country}` : ""} (${p.precision ?? "?"})${p.geonameid ? ` GeoNames ${p.geonameid}` : ""}` } });
  }
  for (const t of article.times || []) {
    spans.push({ start: t.start, end: t.end, text: t.text, cls: "hl-time", rank: 4, attrs: { "data-testid": "article-time",
      title: `${t.value ?? "no value"}${t.precision ? ` (${t.precision})` : ""}${t.note ? ` — ${t.note}` : ""}` } });
  }
  return spans;
}

export async function showArticle(id) {
  const view = $("#article-view");
  $("#main-view").hidden = true;
  $("#filters").hidden = true;
  view.hidden = false;
  view.dataset.state = "loading";
  view.scrollTop = 0;
  view.innerHTML = html`<p class="muted">Loading article…</p>`.s;
  let a;
  try {
    a = await api(`articles/${encodeURIComponent(id)}`);
  } catch (err) {
    view.innerHTML = html`<p><a href="#/">← back to the map</a></p><p class="warn" data-testid="article-error">${err.message}</p>`.s;
    view.dataset.state = "error";
    return;
  }
  const cleaning = a.cleaning || { removed: a.removed || [], repairs: a.repairs || [] };
  const removed = cleaning.removed || [];
  const repairs = cleaning.repairs || [];
  const { html: bodyHtml, bad } = highlight(a.body || "", articleSpans(a));
  const eventId = (e) => eventIdFor(a.id, e);
  view.innerHTML = html`<div class="article-grid">
    <article>
      <p class="small"><a href="#/" data-testid="article-back">← back to the map</a></p>
      <h1 data-testid="article-title">${a.title || unknown("no title")}</h1>
      ${a.halted ? html`<p class="notice" data-testid="article-halted"><b>Set aside, not read for events:</b> ${a.halted}.
        ${/language/.test(a.halted) ? "eventsift reads English articles; this one is kept, cleaned and searchable, but no events, places or actors were read from it." : ""}</p>` : ""}
      ${a.standfirst ? html`<p class="article-standfirst">${a.standfirst}</p>` : ""}
      <p class="small muted">${a.source ? html`${a.source} · ` : ""}${a.published ? html`published ${dayHtml(a.published)}`
        : "no publication date"}${a.language ? ` · language ${a.language}` : ""} · id <span title="${a.id}">${a.id.slice(0, 10)}</span>
        ${a.url ? html`<br>URL (not fetched): <span>${a.url}</span>` : ""}</p>
      <div class="legend" data-testid="article-legend">${LAYERS.map(([key, cls, label]) => html`<label>
        <input type="checkbox" data-layer="${key}" checked> <mark class="${cls}">${label}</mark></label>`)}
        <span><mark class="hl-speaker">speaker</mark></span><span><mark class="hl-cue">cue</mark></span></div>
      <div class="article-text" data-testid="article-body">${bodyHtml}</div>
      ${bad.length ? html`<p class="warn" data-testid="span-mismatch">${bad.length} span(s) do not match the text and are not highlighted.</p>` : ""}
    </article>
    <aside>
      <h3>Events read from this article</h3>
      <ul class="plain" data-testid="article-events">${(a.events || []).length ? a.events.map((e) => html`<li>
        <span class="dot" style="--c:${colourOf(e.acled_event_type)}"></span>
        <a href="${eventHref(eventId(e))}">${e.acled_sub_event_type}</a> ${statusBadge(e.status)}
        <span class="muted">${whenHtml(e.when)} · ${fmtPlace(e.place) ?? "place unknown"}</span>
        ${e.in_title ? html`<span class="words">read from the ${e.in_title} only</span>` : ""}</li>`)
        : html`<li class="muted" data-testid="article-no-events">${a.halted ? `None: set aside (${a.halted}).` : "No events."}</li>`}</ul>

      <h3>Removed by cleaning</h3>
      <div data-testid="removed-blocks">${removed.length ? removed.map((r) => html`<div class="removed-block" data-testid="removed-block">
        ${r.text}<span class="reason">${r.reason}</span></div>`) : html`<p class="muted">Nothing was removed.</p>`}</div>

      <h3>Repairs</h3>
      <ul class="plain" data-testid="repairs">${repairs.length ? repairs.map((r) => html`<li data-testid="repair"><b>${r.kind}</b>: ${r.detail}</li>`)
        : html`<li class="muted">No repairs.</li>`}</ul>

      <h3>Quotes</h3>
      <ul class="plain">${(a.quotes || []).length ? a.quotes.map((q) => html`<li><b>${q.speaker?.text ?? "unknown speaker"}</b>
        ${q.channel ? html`<span class="muted">via ${q.channel}</span>` : ""}<span class="words"><q>${truncate(q.content?.text, 200)}</q></span></li>`)
        : html`<li class="muted">No quotes.</li>`}</ul>

      <h3>Entities</h3>
      <ul class="plain">${(a.entities || []).length ? a.entities.map((e) => html`<li>${e.name} <span class="muted">${e.kind ?? ""}
        · ${(e.mentions || []).length} mention${(e.mentions || []).length === 1 ? "" : "s"}</span></li>`)
        : html`<li class="muted">No entities.</li>`}</ul>
    </aside>
  </div>`.s;
  const text = $(".article-text", view);
  for (const box of $$("input[data-layer]", view)) {
    box.addEventListener("change", () => text.classList.toggle(`hide-${box.dataset.layer}`, !box.checked));
  }
  for (const mark of $$("mark[data-event-id]", view)) {
    mark.addEventListener("click", () => { location.hash = eventHref(mark.dataset.eventId); });
  }
  view.dataset.state = "ready";
}
