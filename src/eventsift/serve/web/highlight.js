// eventsift web UI: highlighting spans in a text (under an event, in the article view).

import { esc, html, raw } from "./core.js";

// ---------------------------------------------------------------------------------------------
// Highlighting spans in a text. Offsets from the API count Unicode code points (Python str
// indices); JavaScript strings count UTF-16 units, so offsets are converted first. Spans nest
// properly: where two cross, the one with the higher rank (inner layer) is split, so an outer span
// such as the evidence sentence stays one element whose text is exactly the span's text.

function unitOffsets(text) {
  const map = [0];
  let u = 0;
  for (const ch of text) { u += ch.length; map.push(u); }
  return map;
}

// spans: [{start, end, text?, cls, rank, attrs}] with code point offsets. Returns {html, bad}.
export function highlight(text, spans) {
  text = text ?? "";
  const map = text.length === [...text].length ? null : unitOffsets(text);
  const bad = [];
  const list = [];
  spans.forEach((s, order) => {
    if (!s || s.start === null || s.start === undefined || s.end === null || s.end === undefined) return;
    const start = map ? map[s.start] : s.start;
    const end = map ? map[s.end] : s.end;
    if (start === undefined || end === undefined || start < 0 || end > text.length || end <= start) {
      bad.push(s);
      return;
    }
    if (s.text !== undefined && s.text !== null && text.slice(start, end) !== s.text) {
      bad.push(s);
      return;
    }
    list.push({ ...s, start, end, order, rank: s.rank ?? 5 });
  });
  const cmp = (a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank || a.order - b.order;
  const open = (s) => {
    const attrs = Object.entries(s.attrs || {})
      .map(([k, v]) => ` ${k}="${esc(v)}"`).join("");
    return `<mark class="${esc(s.cls)}"${attrs}>`;
  };
  function render(lo, hi, items) {
    let out = "";
    let pos = lo;
    let rest = items.slice().sort(cmp);
    while (rest.length) {
      let s = rest.shift();
      // an inner-layer span crossing into an outer-layer one is cut at the outer one's start
      const outer = rest.find((t) => t.start > s.start && t.start < s.end && t.end > s.end && t.rank < s.rank);
      if (outer) {
        rest.push({ ...s, start: outer.start });
        s = { ...s, end: outer.start };
        rest.sort(cmp);
      }
      out += esc(text.slice(pos, s.start));
      const inner = [];
      const later = [];
      for (const t of rest) {
        if (t.start >= s.end) later.push(t);
        else if (t.end <= s.end) inner.push(t);
        else { inner.push({ ...t, end: s.end }); later.push({ ...t, start: s.end }); }
      }
      out += open(s) + render(s.start, s.end, inner) + "</mark>";
      pos = s.end;
      rest = later.sort(cmp);
    }
    return out + esc(text.slice(pos, hi));
  }
  return { html: raw(render(0, text.length, list)), bad };
}

// The spans of one event, each tagged with the field it supports.
export function eventSpans(ev) {
  const spans = [];
  const add = (span, cls, field, rank, extra = {}) => {
    if (span && span.start !== undefined && span.start !== null) {
      spans.push({ start: span.start, end: span.end, text: span.text, cls, rank,
        attrs: { "data-field": field, ...extra } });
    }
  };
  add(ev.evidence, "hl-evidence", "evidence", 0, { "data-testid": "evidence-highlight" });
  (ev.mentions || []).forEach((m, i) => add(m, "hl-mention", `mention-${i}`, 1));
  (ev.claims || []).forEach((c, i) => add(c.span, "hl-claim", `claim-${i}`, 2, { title: `claim by ${c.claimant}` }));
  add(ev.actor1?.span, "hl-actor", "actor1", 3, { title: "actor 1" });
  add(ev.actor2?.span, "hl-actor", "actor2", 3, { title: "actor 2" });
  (ev.associated || []).forEach((a, i) => add(a.span, "hl-actor", `associated-${i}`, 3));
  (ev.targets || []).forEach((t, i) => add(t.span || t, "hl-target", `target-${i}`, 3, { title: "target" }));
  add(ev.place, "hl-place", "place", 3, { title: "place" });
  add(ev.when?.span, "hl-time", "when", 3, { title: "date" });
  add(ev.fatalities?.span, "hl-fatal", "fatalities", 3, { title: "fatalities" });
  (ev.hedges || []).forEach((h, i) => add(h, "hl-hedge", `hedge-${i}`, 4, { title: "hedge" }));
  add(ev.trigger, "hl-trigger", "trigger", 5, { title: "event word" });
  return spans;
}

export const EVENT_LEGEND = html`<div class="legend" data-testid="evidence-legend">
  <span><mark class="hl-evidence">evidence</mark></span><span><mark class="hl-trigger">event word</mark></span>
  <span><mark class="hl-actor">actor</mark></span><span><mark class="hl-place">place</mark></span>
  <span><mark class="hl-time">date</mark></span><span><mark class="hl-fatal">fatalities</mark></span>
  <span><mark class="hl-claim">claimant</mark></span><span><mark class="hl-hedge">hedge</mark></span>
  <span><mark class="hl-mention">same event, other sentence</mark></span></div>`;
