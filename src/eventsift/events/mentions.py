"""One record per real event: merging the mentions of one event within an article.

A raid announced in the lead, described in a quote and referred to again later ("the raid", "both
attacks", "the Nairobi bombing") is one event, with every claim. :func:`same_event` is the merge rule
in one place; :func:`merge_mentions` applies it, with the rules for mentions in one sentence, one
crowd, a bare follow-up sentence and a referring noun that names nothing of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from ..records import Actor, Event, Place, When
from .status import same_claim

__all__ = ["merge_mentions", "same_event"]


# Statuses that describe something that happened (or is said to have); others never merge with them.
_REAL = {"asserted", "claimed", "unverified", "denied"}
_STATUS_RANK = {"asserted": 0, "claimed": 1, "unverified": 2, "denied": 3}


def _from_context(place: Place) -> bool:
    return bool(place.note and place.note.startswith("from context"))


def _compatible_places(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None or _from_context(a) or _from_context(b):  # a guess does not separate
        return True
    if a.country != b.country:
        return False
    return a.admin1 is None or b.admin1 is None or a.admin1 == b.admin1


def _compatible_actors(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None or a.entity_id is None or b.entity_id is None:
        return True
    return a.entity_id == b.entity_id


def _compatible_times(a: Event, b: Event) -> bool:
    weak = {"reported", "unknown"}
    if a.when is None or b.when is None or a.when.start is None or b.when.start is None:
        return True
    if a.when.precision in weak or b.when.precision in weak:
        return True
    a_end, b_end = a.when.end or a.when.start, b.when.end or b.when.start
    return a.when.start[: len(b_end)] <= b_end and b.when.start[: len(a_end)] <= a_end


def same_event(a: Event, b: Event) -> bool:
    """Mention ``b`` reports the event ``a`` already holds: the merge rule, in one place.

    Same event type, compatible time frame, dates, places and actors; and something that ties them:
    the same named doer, a mention that refers back ("the raid", "this fighting"), or a source telling
    of its own action (the group's post about "a battle" joins the group's raid).
    """
    both_real = a.status in _REAL and b.status in _REAL
    compatible = (
        a.acled_event_type == b.acled_event_type
        and (both_real or a.status == b.status)
        and _same_time_frame(a.temporal_status, b.temporal_status)
        and _compatible_times(a, b)
        and _compatible_places(a.place, b.place)
        and _compatible_actors(a.actor1, b.actor1)
    )
    return compatible and (_same_doer(a, b) or _refers_back(b) or _told_by_doer(a, b) or _same_news_place(a, b))


def _same_doer(a: Event, b: Event) -> bool:
    """The same named doer: one entity, or one name inside the other ("U.S." and "U.S. forces")."""
    if not a.actor1 or not b.actor1:
        return False
    if a.actor1.entity_id and a.actor1.entity_id == b.actor1.entity_id:
        return True
    if not all(any(ch.isupper() for ch in actor.name[1:]) for actor in (a.actor1, b.actor1)):
        return False  # "protesters", "About 60 protesters": common nouns name no one crowd
    names = [" ".join(actor.name.lower().split()) for actor in (a.actor1, b.actor1)]
    if "unidentified" in names or not all(names):
        return False
    x, y = sorted(names, key=len)
    return f" {x} " in f" {y} " or y.startswith(f"{x} ")


def _same_news_place(a: Event, b: Event) -> bool:
    """Two reports of today's event of one type in the same named region: one event, whoever did it."""
    if a.temporal_status != "new" or b.temporal_status != "new" or a.place is None or b.place is None:
        return False
    if _from_context(a.place) or _from_context(b.place) or a.place.precision == "country":
        return False
    return a.place.admin1 is not None and a.place.admin1 == b.place.admin1


def _refers_back(event: Event) -> bool:
    trigger = event.trigger
    if trigger is None:
        return False
    before = event.evidence.text[: max(0, trigger.start - event.evidence.start)].split()[-2:]
    return any(word.lower() in {"the", "this", "that", "these", "those"} for word in before)


def _told_by_doer(a: Event, b: Event) -> bool:
    """b's doer is unnamed, and b is told by a's doer or by one of a's claimants."""
    if b.actor1 is not None and b.actor1.entity_id is not None:
        return False
    sources = {c.entity_id for c in a.claims if c.entity_id}
    if a.actor1 and a.actor1.entity_id:
        sources.add(a.actor1.entity_id)
    return any(c.entity_id in sources for c in b.claims)


def _same_time_frame(a: str, b: str) -> bool:
    return a == b or {a, b} == {"new", "ongoing"}


def _merge_into(kept: Event, other: Event) -> None:
    """Keep the first mention's typing (a riot over a protest); fill what it lacks from the other;
    keep every claim and hedge."""
    kept.mentions.append(other.evidence)
    if _crowd_pair(kept, other) and other.acled_event_type == "Riots":
        _take_typing(kept, other)
    if kept.actor1 is None or kept.actor1.entity_id is None and other.actor1 and other.actor1.entity_id:
        kept.actor1 = other.actor1
    kept.actor2 = kept.actor2 or other.actor2
    kept.place = _better_place(kept.place, other.place)
    kept.when = _better_when(kept.when, other.when)
    kept.fatalities = kept.fatalities or other.fatalities
    for actor in other.associated:
        if all(a.entity_id != actor.entity_id for a in kept.associated):
            kept.associated.append(actor)
    kept.claims += [c for c in other.claims if all(not same_claim(c, k) for k in kept.claims)]
    kept.hedges += [h for h in other.hedges if h not in kept.hedges]
    kept.targets += [t for t in other.targets if t not in kept.targets]
    if _STATUS_RANK.get(other.status, 0) > _STATUS_RANK.get(kept.status, 0) and kept.status in _REAL:
        kept.status = other.status  # a claim repeated as fact elsewhere is still only a claim


def _take_typing(kept: Event, other: Event) -> None:
    kept.acled_event_type, kept.acled_sub_event_type = other.acled_event_type, other.acled_sub_event_type
    kept.cameo_root, kept.plover_type, kept.plover_mode = other.cameo_root, other.plover_type, other.plover_mode


def _better_when(a: When | None, b: When | None) -> When | None:
    """A date the text states beats the publication date; a finer precision beats a coarser one."""
    rank = {"day": 0, "week": 1, "month": 2, "range": 3, "year": 4, "reported": 5}

    def key(when: When | None) -> tuple[int, int]:
        if when is None or when.start is None:
            return (2, 9)
        return (0 if when.text else 1, rank.get(when.precision, 6))

    return b if key(b) < key(a) else a


def _better_place(a: Place | None, b: Place | None) -> Place | None:
    rank = {"point": 0, "city": 1, "region": 2, "country": 3}
    if a is None or b is None:
        return a or b
    return b if rank.get(b.precision, 9) < rank.get(a.precision, 9) else a


def merge_mentions(events: list[Event], referring: list[bool] | None = None,
                    dated_nouns: list[bool] | None = None, own_places: list[Place | None] | None = None,
                    sentence_of: Callable[[int], int] | None = None) -> list[Event]:
    """One record per real event: each mention joins the first kept event it reports (``same_event``),
    the event its sentence already holds, or, for a noun that refers to an event told before ("the
    bombing", "both attacks", "the Nairobi bombing"), the first kept event of its type."""
    merged: list[Event] = []
    bare: list[Event] = []  # kept records opened by a referring noun that names nothing of its own
    for n, event in enumerate(events):
        own = own_places[n] if own_places else None  # "the Tanzania blast" is not the Nairobi bombing
        target = next((kept for kept in merged if same_event(kept, event) and _compatible_places(kept.place, own)), None)
        if target is None:
            target = next((kept for kept in merged if _same_sentence_event(kept, event)), None)
        if target is None:
            target = next((kept for kept in merged if _one_crowd_event(kept, event)), None)
        if target is None and sentence_of is not None and not (own_places and own_places[n] is not None):
            target = next((kept for kept in reversed(merged) if _bare_follow_up(kept, event, sentence_of)), None)
        if target is None and referring is not None and referring[n]:
            dated = bool(dated_nouns and dated_nouns[n])
            own = own_places[n] if own_places else event.place
            target = next((kept for kept in merged if _told_before(kept, event, dated, own)), None)
        if target is None:
            merged.append(event)
            if referring is not None and referring[n] and _names_nothing(event, dated_nouns, own_places, n):
                bare.append(event)
        else:
            _merge_into(target, event)
    return _fold_bare_references(merged, bare)


def _names_nothing(event: Event, dated_nouns: list[bool] | None, own_places: list[Place | None] | None,
                   n: int) -> bool:
    """"the attack", "the bombings", "blamed the government for the attack": no date and no place of
    the noun's own (a doer may be named: the fold checks it against the event's)."""
    if dated_nouns and dated_nouns[n]:
        return False
    return own_places is None or own_places[n] is None


def _fold_bare_references(merged: list[Event], bare: list[Event]) -> list[Event]:
    """A referring noun that names nothing of its own ("the attack on the couple", "a suspect in the
    bombings") presupposes an event the article tells: when the article holds one of its kind, even
    told later, the noun is a mention of that event (the nearest before it, else the nearest after),
    not a record of its own."""
    for event in bare:
        at = merged.index(event)
        others = [(abs(n - at) + (0.5 if n > at else 0), kept) for n, kept in enumerate(merged)
                  if kept is not event and _same_kind(kept, event) and not _two_named_doers(kept, event)]
        if others:
            target = min(others, key=lambda pair: pair[0])[1]
            _merge_into(target, event)
            merged.remove(event)
    return merged


def _same_kind(a: Event, b: Event) -> bool:
    if a.status not in _REAL or b.status not in _REAL:
        return False
    return a.acled_event_type == b.acled_event_type or {a.acled_event_type, b.acled_event_type} <= _VIOLENCE


def _bare_follow_up(kept: Event, event: Event, sentence_of: Callable[[int], int]) -> bool:
    """A mention with no doer and no place of its own, in the sentence after an event of its type and
    time frame ("... chanting slogans. [They] blocked intersections"), tells that event's details."""
    if kept.acled_event_type != event.acled_event_type or kept.status not in _REAL or event.status not in _REAL:
        return False
    if not _same_time_frame(kept.temporal_status, event.temporal_status):
        return False
    own_place = event.place is not None and not _from_context(event.place)
    named = event.actor1 is not None and event.actor1.name != "Unidentified"
    if own_place or named:
        return False
    last = max(m.start for m in [kept.evidence, *kept.mentions])
    return 0 <= sentence_of(event.evidence.start) - sentence_of(last) <= 1


def _same_sentence_event(kept: Event, event: Event) -> bool:
    """Two mentions of one event type in one sentence are one event unless they name two towns."""
    same_type = kept.acled_event_type == event.acled_event_type or _crowd_pair(kept, event)
    if not same_type or (kept.status in _REAL) != (event.status in _REAL):
        return False
    in_kept = any(m.start == event.evidence.start for m in [kept.evidence, *kept.mentions])
    return (in_kept and _same_time_frame(kept.temporal_status, event.temporal_status)
            and _compatible_times(kept, event) and not _two_towns(kept.place, event.place))


_CROWD = frozenset({"Protests", "Riots"})


def _crowd_pair(a: Event, b: Event) -> bool:
    return {a.acled_event_type, b.acled_event_type} == _CROWD


def _one_crowd_event(kept: Event, event: Event) -> bool:
    """ACLED codes one event per crowd, place and day: a protest and a scuffle or riot at the same
    place on the same news day are one record, typed by the worst (the riot)."""
    if not _crowd_pair(kept, event) or kept.status not in _REAL or event.status not in _REAL:
        return False
    return _compatible_times(kept, event) and _same_news_place(kept, event)


def _two_towns(a: Place | None, b: Place | None) -> bool:
    """Two places that tell events apart: other countries, other regions, or two named towns."""
    towns = {"point", "city"}
    if a is None or b is None or _from_context(a) or _from_context(b):
        return False
    if a.country and b.country and a.country != b.country:
        return True
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return True
    return a.precision in towns and b.precision in towns and a.name != b.name


# "The attacks" after "the bombings": political violence referred back to may be typed differently.
_VIOLENCE = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})


def _told_before(kept: Event, event: Event, dated: bool, own_place: Place | None) -> bool:
    """A referring noun names the kept event when the type agrees and no place tells them apart; its
    date and place count only when the noun carries them ("the January 1998 bombing", "the Nairobi
    bombing"), not when they come from elsewhere in its sentence."""
    same_kind = kept.acled_event_type == event.acled_event_type or {kept.acled_event_type, event.acled_event_type} <= _VIOLENCE
    if not same_kind or event.status not in _REAL or kept.status not in _REAL:
        return False
    known = kept.when is not None and kept.when.start is not None and kept.when.precision not in {"reported", "unknown"}
    if dated and not (known and _compatible_times(kept, event) and kept.acled_event_type == event.acled_event_type):
        return False  # "the 1996 bombing" names its year: an undated killing is no evidence it is that one
    if _two_named_doers(kept, event):
        return False
    a, b = kept.place, own_place
    if a is None or b is None or _from_context(a) or _from_context(b):
        return True
    if a.country is None or b.country is None:  # a region ("East Africa") or an unresolved name
        return True
    return a.country == b.country and not _two_towns(a, b)


def _two_named_doers(a: Event, b: Event) -> bool:
    """Both doers named as entities ("Eric Rudolph", "the Legion"), other ones: two events. Common
    nouns ("protesters", "the sniper") may name one crowd or person in many words."""
    if not (a.actor1 and b.actor1 and a.actor1.entity_id and b.actor1.entity_id) or a.actor1.entity_id == b.actor1.entity_id:
        return False
    names = [" ".join(e.actor1.name.lower().split()) for e in (a, b) if e.actor1]
    if len(names) < 2:
        return False
    x, y = sorted(names, key=len)
    return f" {x} " not in f" {y} "
