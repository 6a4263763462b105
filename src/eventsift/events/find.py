"""The events stage: one Event per real-world event an article reports, every field with its words.

For each trigger (types.find_triggers) kept in scope (scope.out_of_scope, retype) the stage reads the
arguments (args: actors, place, time, fatalities) and the status (status: claims, hedges, modality,
temporal status), then merges the mentions of one event within the article (mentions.merge_mentions: a
raid announced in the lead, described in a quote, and referred to again later is one event, with
every claim). A headline-only report still yields an event, with its evidence in the title.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from ..errors import ConfigError
from ..read.actors import listed_entry
from ..read.nlp import HEADLINES, headline_doc
from ..records import Actor, Article, Event, Place, Span
from ..settings import Options
from .actors import event_actors
from .args import actor_words
from .fatalities import event_fatalities
from .mentions import merge_mentions, same_event
from .place import event_place
from .retype import crowd_met_by_force, occupation_as_protest, one_sided_shooting
from .scope import out_of_scope
from .scope_signals import scope_words
from .split import split_by_place
from .status import article_hedges, cues, event_status, temporal_status
from .types import Trigger, find_triggers
from .when import event_when

__all__ = ["find_events", "referring_noun", "same_event"]

log = logging.getLogger(__name__)


def _unidentified(trigger: Trigger, article: Article) -> Actor:
    """No doer in the text: ACLED's convention, with the words that say so when there are some."""
    sentence = article.body[trigger.sentence_start:trigger.sentence_end]
    for cue in cues().unidentified_cues:
        at = sentence.lower().find(cue)
        if at >= 0:
            start = trigger.sentence_start + at
            return Actor(None, "Unidentified", None, Span(start, start + len(cue), article.body[start:start + len(cue)]))
    return Actor(None, "Unidentified", None, None)


_WE = {"we", "our", "us", "ours"}


def _speakers_group(trigger: Trigger, article: Article, claims: list[Any]) -> Actor | None:
    """"our guerrilla movement" in a quote: the speaker's own group is the doer."""
    head = article.doc[trigger.token_i]
    if not any(t.lower_ in _WE for t in head.sent):
        return None
    by_id = {e.id: e for e in article.entities}
    for claim in claims:
        speaker = by_id.get(claim.entity_id or "")
        group = speaker if speaker and speaker.kind != "person" else by_id.get(speaker.affiliation or "") if speaker else None
        if group is not None:
            we = next(t for t in head.sent if t.lower_ in _WE)
            return Actor(group.id, group.name, group.kind, Span(we.idx, we.idx + len(we.text), we.text),
                         listed=listed_entry(group.id))
    return None


def _is_force(actor: Actor | None) -> bool:
    if actor is None:
        return False
    return actor.kind == "state forces" or not scope_words().force_words.isdisjoint(actor.name.lower().split())


def _crowd(trigger: Trigger, article: Article) -> Actor | None:
    """The crowd named in the trigger's sentence ("anti-government demonstrators"), as an actor."""
    head = article.doc[trigger.token_i]
    for token in head.sent:
        if token.lemma_.lower() in scope_words().crowd_people and token.pos_ == "NOUN":
            left = min((c.idx for c in token.children if c.dep_ in {"amod", "compound"} and c.i < token.i),
                       default=token.idx)
            end = token.idx + len(token.text)
            return Actor(None, article.body[left:end], None, Span(left, end, article.body[left:end]))
    return None


def _event_from_trigger(trigger: Trigger, article: Article, number: int) -> Event:
    actor1, actor2, associated, targets = event_actors(trigger, article)
    if trigger.acled_event_type == "Protests" and _is_force(actor1):
        crowd = actor2 or _crowd(trigger, article)
        if crowd is not None:  # ACLED: the protesters are actor1, the force that met them actor2
            actor1, actor2 = crowd, actor1
    when = event_when(trigger, article)
    reading = event_status(trigger, article)
    if actor1 is None:
        actor1 = _speakers_group(trigger, article, reading.claims)
    timing = temporal_status(trigger, article, when)
    if timing != "new" and when is not None and when.precision == "reported":
        when = None  # the publication date dates news, not background or habits
    return Event(
        id=f"{article.id}:e{number}",
        acled_event_type=trigger.acled_event_type,
        acled_sub_event_type=trigger.acled_sub_event_type,
        cameo_root=trigger.cameo_root,
        plover_type=trigger.plover_type,
        plover_mode=trigger.plover_mode,
        actor1=actor1 or _unidentified(trigger, article),
        actor2=actor2,
        associated=associated,
        place=event_place(trigger, article),
        when=when,
        fatalities=event_fatalities(trigger, article),
        status=reading.status,
        temporal_status=timing,
        claims=reading.claims,
        hedges=reading.hedges,
        evidence=Span(trigger.sentence_start, trigger.sentence_end,
                      article.body[trigger.sentence_start:trigger.sentence_end]),
        trigger=Span(trigger.start, trigger.end, trigger.text),
        targets=targets,
    )


def _sentence_index(article: Article) -> Callable[[int], int]:
    """Character offset -> number of the sentence holding it."""
    starts = [sent.start_char for sent in article.doc.sents] if article.doc is not None else [0]
    return lambda offset: bisect_right(starts, offset) - 1


def _own_place(trigger: Trigger, event: Event, article: Article) -> Place | None:
    """The place named inside the trigger's own phrase ("the Nairobi bombing", "the attack in Aba");
    the event's own where the phrase names several (one record per place)."""
    if article.doc is None:
        return None
    head = article.doc[trigger.token_i]
    # The noun's own phrase and relative clause ("the assaults that killed 130 in Paris"), not a
    # participle or apposition hung on it ("the bombings, identified as the work of a man who had
    # lived in Sudan" names no place of the bombings).
    phrase = [head, *(t for c in head.children if c.dep_ not in {"acl", "appos", "punct", "cc", "conj"}
                      for t in c.subtree)]
    start = min(t.idx for t in phrase)
    end = max(t.idx + len(t) for t in phrase)
    if event.place is not None and start <= event.place.start < end:
        return event.place
    inside = [p for p in article.places if start <= p.start and p.end <= end and p.country]
    return inside[0] if inside else None


def _dated_noun(trigger: Trigger, article: Article) -> bool:
    """The trigger's own words carry a date: "the January 1998 bombing", "the 1996 attack"."""
    if article.doc is None:
        return False
    head = article.doc[trigger.token_i]
    return any(t.ent_type_ == "DATE" for t in head.subtree if t.i != head.i)


def referring_noun(trigger: Trigger, article: Article) -> bool:
    """"the bombing", "both attacks", "the Kenya bombing": a noun that names an event the article may
    have told already, rather than telling a new one (a bare plural, "arson attacks", may be new)."""
    if article.doc is None:
        return False
    head = article.doc[trigger.token_i]
    if head.pos_ != "NOUN":
        return False
    for child in head.children:
        if child.dep_ == "det" and child.lower_ in {"the", "this", "that", "these", "those", "both", "such"}:
            return True
        if child.dep_ in {"poss", "compound"} and (child.ent_type_ or child.pos_ == "PROPN"):
            return True
    return False


def _name_the_crowd(event: Event) -> None:
    """A protest or riot with no named crowd is the protesters' (rioters') act: ACLED's convention,
    with the trigger's words ("rallied", "the march") as its evidence. Done after merging, which
    reads "Unidentified" as "no doer named"."""
    name = actor_words().crowd_names.get(event.acled_event_type)  # data/event_arguments.yaml
    if name is None or event.actor1 is None or event.actor1.name != "Unidentified" or event.trigger is None:
        return
    event.actor1 = Actor(None, name, None, event.trigger)


def _apply_article_hedges(events: list[Event], article: Article) -> None:
    """"The unverified reports gave no details ...": the hedge covers the claims reported before it."""
    for hedge in article_hedges(article):
        for event in events:
            claimed = event.status in {"claimed", "unverified"}
            if claimed and event.evidence.start < hedge.start and hedge not in event.hedges:
                event.hedges.append(hedge)


def _title_events(article: Article) -> list[Event]:
    """Headline-only reports: read the title (then standfirst) as a one-sentence article, with the
    Doc the nlp stage parsed it into alongside the body."""
    for field in HEADLINES:
        text, doc = getattr(article, field), headline_doc(article, field)
        if not text or doc is None:
            continue
        stub = Article(id=article.id, source_kind=article.source_kind, body=text, published=article.published)
        stub.doc = doc
        triggers = _in_scope(find_triggers(stub), stub)
        if triggers:
            events = [_event_from_trigger(t, stub, n) for n, t in enumerate(triggers[:1], start=1)]
            for event in events:
                event.in_title = field
            return events
    return []


def _in_scope(triggers: list[Trigger], article: Article) -> list[Trigger]:
    """The candidates that are ACLED-scope events (event_scope); the others are logged and set aside."""
    kept = []
    for trigger in triggers:
        reason = out_of_scope(trigger, article)
        if reason is None:
            kept.append(occupation_as_protest(one_sided_shooting(crowd_met_by_force(trigger, article), article), article))
        else:
            log.debug("%s: %r set aside (%s)", article.id, trigger.text, reason)
    return kept


def _learned_scope(triggers: list[Trigger], article: Article) -> list[Trigger]:
    """The optional second decision (setting ``learned_scope``): a sentence-embedding classifier."""
    from .scope_model import keep_likely_events, model_available

    if not model_available():
        raise ConfigError("learned_scope is on but the scope model is not installed: "
                          'pip install "torch==2.13.0+cpu", then pip install -e ".[scope]"')
    return keep_likely_events(triggers, article)


def _capped(triggers: list[Trigger], article: Article, options: Options) -> list[Trigger]:
    """The first ``max_events_per_article`` candidates: each costs reading its sentence and the article
    around it, so an article repeating one sentence thousands of times must not cost thousands."""
    cap = options.max_events_per_article
    if len(triggers) > cap:
        log.warning("%s: %d event candidates; only the first %d are read (setting max_events_per_article)",
                    article.id, len(triggers), cap)
        return triggers[:cap]
    return triggers


def find_events(article: Article, options: Options) -> Article:
    """Fill ``article.events`` from the parse and the reading stages' outputs."""
    if article.doc is None:
        return article
    triggers = _in_scope(_capped(find_triggers(article), article, options), article)
    if options.learned_scope:
        triggers = _learned_scope(triggers, article)
    events = [_event_from_trigger(t, article, n) for n, t in enumerate(triggers, start=1)]
    # ACLED's unit is one place: "bombs exploded in Nairobi and Dar es Salaam" is two records
    pairs = [(t, e) for t, ev in zip(triggers, events, strict=True) for e in split_by_place(ev, t, article)]
    triggers, events = [t for t, _ in pairs], [e for _, e in pairs]
    events = merge_mentions(events, [referring_noun(t, article) for t in triggers],
                             [_dated_noun(t, article) for t in triggers],
                             [_own_place(t, e, article) for t, e in zip(triggers, events, strict=True)],
                             _sentence_index(article))
    _apply_article_hedges(events, article)
    for event in events:
        _name_the_crowd(event)
    if not events:
        events = _title_events(article)
    for number, event in enumerate(events, start=1):
        event.id = f"{article.id}:e{number}"
    article.events = events
    log.debug("%s: %d events", article.id, len(events))
    return article
