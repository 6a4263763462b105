"""Typed records that flow through the pipeline.

Every stage takes an :class:`Article` and returns it enriched; nothing reaches back. Records convert to
and from plain dicts (``to_dict`` / ``from_dict``) so that the store, the JSONL output and the worker
processes all share one shape.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = ["Article", "Reject", "Removed", "Repair", "Span", "content_hash"]


@dataclass(frozen=True)
class Span:
    """A stretch of the cleaned body: ``body[start:end] == text``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass(frozen=True)
class Removed:
    """A block cleaning dropped from the body, with a reason a person can read."""

    text: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Repair:
    """A change cleaning made to the text itself (encoding, characters)."""

    kind: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _span_or_none(data: dict[str, Any] | None) -> Span | None:
    return Span.from_dict(data) if data else None


@dataclass
class Entity:
    """A canonical actor with every mention of it in the body.

    ``kind`` is one of the actor kinds in data/actor_kinds.yaml (state forces, armed group, government,
    person, ...); ``role`` is what the article says the actor is ("MP", "commander"), with its span.
    """

    id: str
    name: str
    kind: str
    country: str | None = None
    mentions: list[Span] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    role_span: Span | None = None
    source: str | None = None  # "lexicon" or "article" (what the article itself revealed)
    affiliation: str | None = None  # id of the organisation the article ties a person to

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["mentions"] = [m.to_dict() for m in self.mentions]
        data["role_span"] = self.role_span.to_dict() if self.role_span else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        kwargs = {k: v for k, v in data.items() if k in {f.name for f in fields(cls)}}
        kwargs["mentions"] = [Span.from_dict(m) for m in data.get("mentions") or []]
        kwargs["role_span"] = _span_or_none(data.get("role_span"))
        kwargs["aliases"] = list(data.get("aliases") or [])
        return cls(**kwargs)


@dataclass
class Place:
    """A place named in the body, resolved to the gazetteer (GeoNames) or left unresolved with a note.

    ``feature`` is "country", "first-order administrative division", "populated place", ...;
    ``precision`` is "country", "region" (admin1), "city", "point" or "unknown".
    """

    start: int
    end: int
    text: str
    geonameid: int | None
    name: str
    country: str | None  # ISO 3166-1 alpha-2
    admin1: str | None  # ISO 3166-2, e.g. "RU-BEL"
    lat: float | None
    lon: float | None
    feature: str
    precision: str
    note: str | None = None
    # "literal" (a location), "metonymic" ("Moscow's war effort": the state, not the city),
    # "demonym"-derived places are not listed at all.
    role: str = "literal"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Place:
        return cls(**{k: v for k, v in data.items() if k in _PLACE_FIELDS})

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.text)


_PLACE_FIELDS = frozenset(f.name for f in fields(Place))


@dataclass
class TimeExpr:
    """A time expression with its TimeML-style value ("2024-03-12", "2023-05", "PRESENT_REF", ...).

    ``value`` is None when it cannot be resolved (no publication date and no anchor); ``note`` says why.
    ``precision`` is "day", "week", "month", "quarter", "year", "decade", "range", "time" or "unknown".
    """

    start: int
    end: int
    text: str
    value: str | None
    precision: str
    type: str = "DATE"  # TimeML TIMEX3 type: DATE, TIME, DURATION, SET
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TimeExpr:
        return cls(**{k: v for k, v in data.items() if k in {f.name for f in fields(cls)}})

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.text)


@dataclass
class Speaker:
    entity_id: str | None
    text: str
    start: int | None
    end: int | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Quote:
    """Who said what: direct quotes and reported speech, with cue and channel.

    ``channel`` is a normalised name ("Telegram", "statement", "interview", "press conference", ...),
    ``channel_span`` the words it came from; ``qualifier`` hedges the source ("an account that claims
    to be run by the RFL").
    """

    speaker: Speaker
    cue: Span | None
    channel: str | None
    content: Span
    kind: str = "direct"  # direct | reported | mixed
    channel_span: Span | None = None
    qualifier: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "channel": self.channel,
            "content": self.content.to_dict(),
            "kind": self.kind,
            "channel_span": self.channel_span.to_dict() if self.channel_span else None,
            "qualifier": self.qualifier.to_dict() if self.qualifier else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        return cls(
            speaker=Speaker(**data["speaker"]),
            cue=_span_or_none(data.get("cue")),
            channel=data.get("channel"),
            content=Span.from_dict(data["content"]),
            kind=data.get("kind", "direct"),
            channel_span=_span_or_none(data.get("channel_span")),
            qualifier=_span_or_none(data.get("qualifier")),
        )


def _span_dict(span: Span | None) -> dict[str, Any] | None:
    return span.to_dict() if span else None


@dataclass
class Actor:
    """An event participant: the entity it links to (if any), and the words it was read from."""

    entity_id: str | None
    name: str
    kind: str | None
    span: Span | None
    listed: bool | None = None  # provenance: linked to an entry of the actor list; None: not recorded

    def to_dict(self) -> dict[str, Any]:
        data = {"entity_id": self.entity_id, "name": self.name, "kind": self.kind, "span": _span_dict(self.span)}
        return data if self.listed is None else {**data, "listed": self.listed}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        return cls(data.get("entity_id"), data["name"], data.get("kind"), _span_or_none(data.get("span")),
                   data.get("listed"))


@dataclass
class When:
    """An event's date: ``start``/``end`` as YYYY[-MM[-DD]], or None with a ``note`` saying why."""

    start: str | None
    end: str | None
    precision: str  # day, week, month, year, range, unknown
    text: str | None
    span: Span | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "precision": self.precision, "text": self.text,
                "span": _span_dict(self.span), "note": self.note}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> When:
        return cls(data.get("start"), data.get("end"), data.get("precision", "unknown"), data.get("text"),
                   _span_or_none(data.get("span")), data.get("note"))


@dataclass
class Fatalities:
    """Deaths reported for an event: an exact value, or a range (low/high), with its qualifier."""

    value: int | None
    low: int | None
    high: int | None
    qualifier: str | None  # "at least", "dozens", "claimed", "own soldiers", ...
    span: Span | None = None
    injured: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "low": self.low, "high": self.high, "qualifier": self.qualifier,
                "span": _span_dict(self.span), "injured": self.injured}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fatalities:
        return cls(data.get("value"), data.get("low"), data.get("high"), data.get("qualifier"),
                   _span_or_none(data.get("span")), data.get("injured"))


@dataclass
class Claim:
    """Who asserts an event, through which channel, with the words that say so."""

    claimant: str
    entity_id: str | None
    channel: str | None
    span: Span

    def to_dict(self) -> dict[str, Any]:
        return {"claimant": self.claimant, "entity_id": self.entity_id, "channel": self.channel,
                "span": self.span.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        return cls(data["claimant"], data.get("entity_id"), data.get("channel"), Span.from_dict(data["span"]))


@dataclass
class Event:
    """One event an article reports, typed in ACLED, CAMEO and PLOVER terms, every field with its words.

    ``evidence`` is the sentence (or headline) the event was read from; ``trigger`` the words that name
    what happened. ``in_title`` marks an event read from the headline or standfirst only: its spans
    then point into ``title``/``standfirst``, not the body.
    """

    id: str
    acled_event_type: str
    acled_sub_event_type: str
    cameo_root: str | None
    plover_type: str | None
    plover_mode: str | None
    actor1: Actor | None
    actor2: Actor | None
    associated: list[Actor]
    place: Place | None
    when: When | None
    fatalities: Fatalities | None
    status: str  # asserted | claimed | denied | unverified | planned | hypothetical | negated
    temporal_status: str  # new | past | habitual | ongoing
    claims: list[Claim]
    hedges: list[Span]
    evidence: Span
    trigger: Span | None = None
    targets: list[Span] = field(default_factory=list)
    in_title: str | None = None  # "title" or "standfirst" for headline-only events
    mentions: list[Span] = field(default_factory=list)  # other sentences reporting the same event

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "acled_event_type": self.acled_event_type,
            "acled_sub_event_type": self.acled_sub_event_type,
            "cameo_root": self.cameo_root,
            "plover_type": self.plover_type,
            "plover_mode": self.plover_mode,
            "actor1": self.actor1.to_dict() if self.actor1 else None,
            "actor2": self.actor2.to_dict() if self.actor2 else None,
            "associated": [a.to_dict() for a in self.associated],
            "place": self.place.to_dict() if self.place else None,
            "when": self.when.to_dict() if self.when else None,
            "fatalities": self.fatalities.to_dict() if self.fatalities else None,
            "status": self.status,
            "temporal_status": self.temporal_status,
            "claims": [c.to_dict() for c in self.claims],
            "hedges": [h.to_dict() for h in self.hedges],
            "evidence": self.evidence.to_dict(),
            "trigger": _span_dict(self.trigger),
            "targets": [t.to_dict() for t in self.targets],
            "in_title": self.in_title,
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        def actor(value: Any) -> Actor | None:
            return Actor.from_dict(value) if value else None

        return cls(
            id=data["id"],
            acled_event_type=data["acled_event_type"],
            acled_sub_event_type=data["acled_sub_event_type"],
            cameo_root=data.get("cameo_root"),
            plover_type=data.get("plover_type"),
            plover_mode=data.get("plover_mode"),
            actor1=actor(data.get("actor1")),
            actor2=actor(data.get("actor2")),
            associated=[Actor.from_dict(a) for a in data.get("associated") or []],
            place=Place.from_dict(data["place"]) if data.get("place") else None,
            when=When.from_dict(data["when"]) if data.get("when") else None,
            fatalities=Fatalities.from_dict(data["fatalities"]) if data.get("fatalities") else None,
            status=data["status"],
            temporal_status=data["temporal_status"],
            claims=[Claim.from_dict(c) for c in data.get("claims") or []],
            hedges=[Span.from_dict(h) for h in data.get("hedges") or []],
            evidence=Span.from_dict(data["evidence"]),
            trigger=_span_or_none(data.get("trigger")),
            targets=[Span.from_dict(t) for t in data.get("targets") or []],
            in_title=data.get("in_title"),
            mentions=[Span.from_dict(m) for m in data.get("mentions") or []],
        )


def content_hash(text: str) -> str:
    """Stable id for content without an id of its own: sha256 of the text, 16 hex digits."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass
class Article:
    """One news article, from raw input to cleaned body and beyond.

    ``raw_text``/``raw_html`` hold what the source gave; ``paragraphs`` is the structured reading of it
    (before boilerplate removal); ``body`` is the cleaned text every later span points into.
    ``halted`` is set when a stage decides the article goes no further (unsupported language, no
    article text); it is a verdict about the content, not an error.
    """

    id: str
    source_kind: str  # text | html | jsonl | feed | url | stdin
    location: str | None = None  # path or URL it was read from
    raw_text: str | None = None
    raw_html: str | None = None
    url: str | None = None
    source: str | None = None  # site or outlet name
    author: str | None = None
    title: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: str | None = None  # YYYY-MM-DD
    published_note: str | None = None  # why published is unknown, or where it came from
    published_fallback: str | None = None  # --published: the ingest stage uses it when input and page carry no date
    paragraphs: list[str] = field(default_factory=list)
    body: str = ""
    removed: list[Removed] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    language: str | None = None
    language_score: float | None = None
    halted: str | None = None
    content_hash: str | None = None
    syndication_group: str | None = None
    minhash: list[int] | None = None
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # The spaCy Doc of the body while the reading stages run; never stored, never sent between processes.
    doc: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["doc"] = None
        return state

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "doc"}
        for name in ("removed", "repairs", "entities", "places", "times", "quotes", "events"):
            data[name] = [item.to_dict() for item in getattr(self, name)]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["removed"] = [Removed(**r) for r in data.get("removed") or []]
        kwargs["repairs"] = [Repair(**r) for r in data.get("repairs") or []]
        kwargs["paragraphs"] = list(data.get("paragraphs") or [])
        kwargs["entities"] = [Entity.from_dict(e) for e in data.get("entities") or []]
        kwargs["places"] = [Place.from_dict(p) for p in data.get("places") or []]
        kwargs["times"] = [TimeExpr.from_dict(t) for t in data.get("times") or []]
        kwargs["quotes"] = [Quote.from_dict(q) for q in data.get("quotes") or []]
        kwargs["events"] = [Event.from_dict(e) for e in data.get("events") or []]
        kwargs.pop("doc", None)
        return cls(**kwargs)


@dataclass(frozen=True)
class Reject:
    """An input or article that failed a stage: where, which stage, and why in one line."""

    location: str
    stage: str
    reason: str
    article_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
