"""A story's summary: the contract's story item, built from its members.

Headline values are chosen by stated rules (the most independent groups, the most precise place,
the narrowest stated date, the lowest credible death toll); every member's value is kept with its
words ("fields"), and values the members disagree on are listed side by side.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..records import Actor, Place, Span
from .checks import anchor, guess, low_figure, named, stated_range
from .rules import StoryMember, norm, rules, sort_key
from .story import Story, StoryActor, StoryFatalities, StorySources, StoryWhen

__all__ = ["FIELDS", "story_columns", "story_record", "story_values", "summarise_story"]

FIELDS = ("acled_event_type", "acled_sub_event_type", "place", "when", "actor1", "actor2", "fatalities", "status")
_WHEN_KEYS = ("start", "end", "precision", "text")


def _prov(member: StoryMember, value: Any, span: Span | None) -> dict[str, Any]:
    return {"value": value, "event_id": member.event_key, "article_id": member.article_id,
            "source": member.source, "group": member.group, "span": span.to_dict() if span else None,
            "in_title": member.event.in_title}


def _actor_value(actor: Actor) -> StoryActor:
    return {"name": actor.name, "entity_id": actor.entity_id, "kind": actor.kind}


def _member_fields(member: StoryMember) -> dict[str, dict[str, Any]]:
    """One member's provenance entry for each field it has a value for."""
    e = member.event
    out = {
        "acled_event_type": _prov(member, e.acled_event_type, e.evidence),
        "acled_sub_event_type": _prov(member, e.acled_sub_event_type, e.evidence),
        "status": _prov(member, e.status, e.claims[0].span if e.claims else e.evidence),
    }
    if e.place is not None:
        out["place"] = _prov(member, e.place.to_dict(), e.place.span)
    if e.when is not None and (e.when.start or e.when.end):
        out["when"] = _prov(member, {k: v for k, v in e.when.to_dict().items() if k in _WHEN_KEYS}, e.when.span)
    for name, actor in (("actor1", e.actor1), ("actor2", e.actor2)):
        if actor is not None:
            out[name] = _prov(member, _actor_value(actor), actor.span)
    figure = low_figure(e.fatalities)
    if e.fatalities is not None and figure is not None:
        out["fatalities"] = _prov(member, figure, e.fatalities.span)
        out["fatalities"]["reported_as"] = {k: v for k, v in e.fatalities.to_dict().items() if k != "span"}
    return out


def _fields(members: Sequence[StoryMember]) -> dict[str, list[dict[str, Any]]]:
    """Every member's value of every field, with its words; members with no value are left out."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in FIELDS}
    for member in members:
        for name, prov in _member_fields(member).items():
            out[name].append(prov)
    return out


def _value_key(name: str, value: Any) -> str:
    """What makes two values of a field the same value (spans aside)."""
    if name == "place":
        return str(value["geonameid"]) if value.get("geonameid") else norm(value["name"])
    if name == "when":
        return f"{value['start']}/{value['end']}"
    if name in {"actor1", "actor2"}:
        return value["entity_id"] or norm(value["name"])
    return json.dumps(value, sort_keys=True)


def _disagreements(fields: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {name: provs for name, provs in fields.items()
            if len({_value_key(name, p["value"]) for p in provs}) > 1}


def _most_groups(keyed: Sequence[tuple[str, StoryMember]]) -> str | None:
    """The key most distinct groups give; ties go to the earliest member (``keyed`` is in order)."""
    groups: dict[str, set[str]] = {}
    for key, member in keyed:
        groups.setdefault(key, set()).add(member.group)
    return max(groups, key=lambda k: len(groups[k]), default=None)


def _headline_actor(members: Sequence[StoryMember], name: str) -> StoryActor | None:
    actors = [(m, a) for m in members if (a := getattr(m.event, name)) is not None]
    actors = [(m, a) for m, a in actors if named(a)] or actors
    key = _most_groups([(a.entity_id or norm(a.name), m) for m, a in actors])
    chosen = next((a for _, a in actors if (a.entity_id or norm(a.name)) == key), None)
    return _actor_value(chosen) if chosen else None


def _headline_place(members: Sequence[StoryMember]) -> Place | None:
    """The most precise place among those agreeing with the majority country and admin1."""
    places = [(m, m.event.place) for m in members if m.event.place is not None]
    places = [(m, p) for m, p in places if not guess(p)] or places
    country = _most_groups([(p.country, m) for m, p in places if p.country])
    agreeing = [(m, p) for m, p in places if country is None or p.country == country]
    admin1 = _most_groups([(p.admin1, m) for m, p in agreeing if p.admin1])
    agreeing = [(m, p) for m, p in agreeing if admin1 is None or p.admin1 in {None, admin1}]
    return min((p for _, p in agreeing), key=lambda p: rules().rank(p.precision), default=None)


def _headline_when(members: Sequence[StoryMember]) -> StoryWhen | None:
    """The narrowest date stated in the text; else the earliest member's publication date."""
    stated = [(m.event.when, span) for m in members if m.event.when and (span := stated_range(m.event.when))]
    if stated:
        when, _ = min(stated, key=lambda ws: (ws[0].text is None, (ws[1][1] - ws[1][0]).days))
        return {"start": when.start, "end": when.end, "precision": when.precision}
    for member in members:
        span, _ = anchor(member)
        if span is not None:
            return {"start": span[0].isoformat(), "end": None, "precision": "reported"}
    return None


def _headline_status(members: Sequence[StoryMember]) -> str:
    statuses = {m.event.status for m in members}
    if "denied" in statuses and statuses & {"asserted", "claimed", "unverified"}:
        return "disputed"
    if "asserted" in statuses:
        return "asserted"
    if len(statuses) == 1:
        return members[0].event.status
    return "claimed" if "claimed" in statuses else members[0].event.status


def _fatalities(members: Sequence[StoryMember], reported: list[dict[str, Any]]) -> StoryFatalities:
    credible = [low_figure(m.event.fatalities) for m in members if m.event.status not in rules().not_credible]
    figures = [n for n in credible if n is not None]
    return {"value": min(figures) if figures else None, "rule": rules().fatalities_rule, "reported": reported}


def _sources(members: Sequence[StoryMember], origins: int) -> StorySources:
    groups: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for m in members:
        if m.article_id not in seen:
            seen.add(m.article_id)
            groups.setdefault(m.group, []).append(
                {"id": m.article_id, "title": m.title, "source": m.source, "url": m.url, "published": m.published})
    return {"independent": len(groups), "articles": len(seen), "origins": origins,
            "groups": [{"group": g, "articles": arts} for g, arts in groups.items()]}


_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "their"})


def _short_form_of(name: str, others: Sequence[str]) -> str:
    """Within one article, "the administration" after "the head of the town's military
    administration" is the same source: a bare "the NOUN" takes the longer name ending in that noun."""
    words = name.split()
    if len(words) != 2 or words[0] not in _DETERMINERS:
        return name
    longer = sorted(o for o in others if o != name and o.split()[-1] == words[-1])
    return longer[0] if longer else name


def _claims(members: Sequence[StoryMember]) -> tuple[list[dict[str, Any]], int]:
    """Every claim with its origin; a member told by its outlet itself (no claims) counts its group."""
    items: list[dict[str, Any]] = []
    origins: set[tuple[str, str]] = set()
    for m in members:
        if not m.event.claims:
            origins.add(("outlet", m.group))
        names = [norm(c.claimant) for c in m.event.claims if not c.entity_id]
        for claim in m.event.claims:
            origin = claim.entity_id or _short_form_of(norm(claim.claimant), names)
            origins.add(("claimant", origin))
            items.append({"claimant": claim.claimant, "entity_id": claim.entity_id, "channel": claim.channel,
                          "origin": origin, "event_id": m.event_key, "article_id": m.article_id,
                          "group": m.group, "span": claim.span.to_dict()})
    return items, len(origins)


def story_record(story_id: str, members: Sequence[StoryMember], merges: Sequence[tuple[str, str]]) -> Story:
    """The contract's story item (all but ``updated_at``); the same for any order of ``members``.

    ``merges`` are (event_key, reason) pairs of the events that joined after the first.
    """
    ordered = sorted(members, key=sort_key)
    if not ordered:
        raise ValueError(f"story {story_id} has no members")
    fields = _fields(ordered)
    event_type = _most_groups([(m.event.acled_event_type, m) for m in ordered]) or ""
    typed = [m for m in ordered if m.event.acled_event_type == event_type]
    sub_type = _most_groups([(m.event.acled_sub_event_type, m) for m in typed]) or ""
    first = next(m for m in typed if m.event.acled_sub_event_type == sub_type).event
    place = _headline_place(ordered)
    claims, origins = _claims(ordered)
    position = {m.event_key: i for i, m in enumerate(ordered)}
    return Story(
        id=story_id,
        acled_event_type=event_type, acled_sub_event_type=sub_type,
        cameo_root=first.cameo_root, plover_type=first.plover_type, plover_mode=first.plover_mode,
        when=_headline_when(ordered),
        place=place.to_dict() if place else None,
        actor1=_headline_actor(ordered, "actor1"), actor2=_headline_actor(ordered, "actor2"),
        fatalities=_fatalities(ordered, fields["fatalities"]),
        status=_headline_status(ordered),
        sources=_sources(ordered, origins),
        claims=claims,
        fields=fields,
        disagreements=_disagreements(fields),
        events=[m.event_key for m in ordered],
        merges=[{"event_id": key, "reason": reason}
                for key, reason in sorted(merges, key=lambda kr: (position.get(kr[0], len(position)), kr))],
    )


def summarise_story(story_id: str, members: Sequence[StoryMember],
                    merges: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """:func:`story_record` as the JSON of the story item."""
    return story_record(story_id, members, merges).to_dict()


def story_columns(item: dict[str, Any]) -> dict[str, Any]:
    """Flat values of a story item for the indexed columns (:meth:`Story.columns`)."""
    return Story.from_dict(item).columns()


def story_values(story: Story, members: Sequence[StoryMember], now: datetime) -> dict[str, Any]:
    """The ``stories`` table's values of a story written at ``now``: the item as JSON, its columns,
    and its members' evidence (in the order given) for the full-text index."""
    story.updated_at = now.isoformat()
    return {
        "id": story.id, "updated_at": now, "evidence": " … ".join(m.event.evidence.text for m in members),
        "record": json.dumps(story.to_dict(), ensure_ascii=False), **story.columns(),
    }
