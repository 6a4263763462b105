"""The actors stage: canonical entities with kind, country, role and every mention in the body.

Sources of knowledge, in order:
1. the actor lexicon (data/actors.yaml), matched by an entity ruler inside the spaCy pipeline, so that
   "Freedom of Russia Legion" is one organisation and not a place inside a name;
2. what the article itself reveals: callsigns ("callsign Caesar" is a person), titles and roles
   ("Ukrainian MP Yuriy Mysiagin": role MP, country UA), alternative names ("X or Y"), acronyms in
   brackets, short forms ("Putin", "the Legion", "our Legion");
3. named-entity recognition for the people and organisations the lexicon does not know;
4. metonymy from the places stage: "Kyiv's forces" are Ukraine's military, "Moscow's war effort" the
   Russian state.
Platforms (Telegram, X) are channels, not actors; demonyms are affiliations, not entities.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..datafiles import load_data
from ..records import Article, Entity, Span
from ..settings import Options
from .truecase import cased_span, cased_text, doc_text

__all__ = ["LexiconEntry", "actor_patterns", "find_actors", "link_pronoun_speakers", "listed_entry",
           "load_lexicon"]

log = logging.getLogger(__name__)

RULER_NAME = "actor_ruler"


@dataclass(frozen=True)
class LexiconEntry:
    id: str
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...]
    head: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class ActorRules:
    roles: frozenset[str]
    callsign_cues: tuple[str, ...]
    org_heads: frozenset[str]
    generic_group_nouns: frozenset[str]
    platforms: frozenset[str]
    media_words: frozenset[str]
    state_force_words: frozenset[str]
    demonyms: dict[str, str]


def _data(name: str) -> Any:
    return load_data(name)


@lru_cache(maxsize=1)
def load_lexicon() -> tuple[LexiconEntry, ...]:
    entries = []
    for raw in _data("actors.yaml")["actors"]:
        aliases = tuple(dict.fromkeys([raw["name"], *raw.get("aliases", [])]))
        entries.append(LexiconEntry(raw["id"], raw["name"], raw["kind"], raw.get("country"), aliases,
                                    raw.get("head"), raw.get("role")))
    return tuple(entries)


@lru_cache(maxsize=1)
def load_rules() -> ActorRules:
    raw = _data("actor_rules.yaml")
    return ActorRules(
        roles=frozenset(raw["roles"]),
        callsign_cues=tuple(raw["callsign_cues"]),
        org_heads=frozenset(raw["org_heads"]),
        generic_group_nouns=frozenset(raw["generic_group_nouns"]),
        platforms=frozenset(raw["platforms"]),
        media_words=frozenset(raw["media_words"]),
        state_force_words=frozenset(raw["state_force_words"]),
        demonyms=dict(raw["demonyms"]),
    )


def actor_patterns() -> tuple[str, str | None, list[dict[str, Any]]]:
    """Entity-ruler patterns for every lexicon alias (registered with eventsift.read.nlp)."""
    patterns = []
    for entry in load_lexicon():
        label = "PERSON" if entry.kind == "person" else "ORG"
        for alias in entry.aliases:
            patterns.append({"label": label, "pattern": alias, "id": entry.id})
    return RULER_NAME, None, patterns


@lru_cache(maxsize=1)
def _lexicon_by_id() -> dict[str, LexiconEntry]:
    return {e.id: e for e in load_lexicon()}


def listed_entry(entity_id: str | None) -> bool:
    """Whether an entity id is an entry of the actor list (data/actors.yaml), not one minted from an
    article's words: the provenance an event's Actor carries (``Actor.listed``) for the story merge."""
    return entity_id is not None and entity_id in _lexicon_by_id()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


@dataclass
class _Builder:
    """Collects entities and mentions for one article; mentions never overlap one another."""

    body: str
    entities: dict[str, Entity] = field(default_factory=dict)
    taken: list[tuple[int, int]] = field(default_factory=list)

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.taken)

    def entity(self, entity_id: str, name: str, kind: str, country: str | None, source: str) -> Entity:
        if entity_id not in self.entities:
            self.entities[entity_id] = Entity(entity_id, name, kind, country, source=source)
        return self.entities[entity_id]

    def mention(self, entity: Entity, start: int, end: int) -> bool:
        if start >= end or not self.free(start, end):
            return False
        text = self.body[start:end]
        entity.mentions.append(Span(start, end, text))
        if text not in entity.aliases and text != entity.name:
            entity.aliases.append(text)
        self.taken.append((start, end))
        return True

    def merge(self, into: Entity, other: Entity) -> None:
        """The article says two names are one actor: move the other's mentions and names over."""
        if other is into:
            return
        for mention in other.mentions:
            into.mentions.append(mention)
            if mention.text not in into.aliases and mention.text != into.name:
                into.aliases.append(mention.text)
        other.mentions = []
        del self.entities[other.id]

    def owner(self, start: int, end: int) -> Entity | None:
        for entity in self.entities.values():
            if any(m.start <= start and end <= m.end for m in entity.mentions):
                return entity
        return None

    def result(self) -> list[Entity]:
        for entity in self.entities.values():
            entity.mentions.sort(key=lambda m: m.start)
        found = [e for e in self.entities.values() if e.mentions]
        return sorted(found, key=lambda e: e.mentions[0].start)


def _lexicon_mentions(doc: Any, builder: _Builder) -> None:
    table = _lexicon_by_id()
    for ent in doc.ents:
        entry = table.get(ent.ent_id_)
        if entry is None:
            continue
        entity = builder.entity(entry.id, entry.name, entry.kind, entry.country, "lexicon")
        builder.mention(entity, ent.start_char, ent.end_char)


def _callsigns(doc: Any, builder: _Builder, rules: ActorRules) -> None:
    text = cased_text(doc)  # a lower-case body's truecased copy (same offsets): capitals to trust
    for cue in rules.callsign_cues:
        for match in re.finditer(rf"\b{re.escape(cue)}\s+[‘'\"“]?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)", text):
            start, end = match.span(1)
            name = match.group(1)
            entity = builder.entity(f"person:{_slug(name)}", name, "person", None, "article")
            builder.mention(entity, start, end)
            _role_of_callsign(doc, entity, match.start(), builder)


def _affiliations(doc: Any, builder: _Builder) -> None:
    """Once every group mention is linked, tie each role to the group named after it."""
    for entity in builder.entities.values():
        if entity.role_span is None or entity.affiliation is not None:
            continue
        span = doc.char_span(entity.role_span.start, entity.role_span.end, alignment_mode="expand")
        if span is not None:
            entity.affiliation = _affiliation_after(span[-1], builder)


def _role_of_callsign(doc: Any, entity: Entity, cue_start: int, builder: _Builder) -> None:
    """"a commander in the legion – callsign Caesar": the noun before the callsign is the role."""
    rules = load_rules()
    span = doc.char_span(cue_start, cue_start + 1, alignment_mode="expand")
    before = list(doc[max(0, span.start - 8):span.start]) if span is not None else []
    for token in reversed(before):
        if token.text in rules.roles or token.lemma_ in rules.roles:
            entity.role = token.text
            entity.role_span = Span(token.idx, token.idx + len(token.text), token.text)
            entity.affiliation = _affiliation_after(token, builder)
            return


def _affiliation_after(role: Any, builder: _Builder) -> str | None:
    """"a commander in the legion": the organisation named right after the role word."""
    for token in role.subtree:
        if token.i <= role.i:
            continue
        owner = builder.owner(token.idx, token.idx + len(token.text))
        if owner is not None and owner.kind != "person":
            return owner.id
    return None


def _person_mentions(doc: Any, builder: _Builder, place_spans: list[tuple[int, int]]) -> None:
    persons = [e for e in builder.entities.values() if e.kind == "person"]
    for ent in doc.ents:
        if ent.label_ != "PERSON" or not builder.free(ent.start_char, ent.end_char):
            continue
        if _overlaps(ent.start_char, ent.end_char, place_spans):
            continue  # "shelled Sumy": the places stage read the words around it as a town
        name = cased_span(doc, ent.start_char, ent.end_char).strip()
        if not name or not name[0].isupper():
            continue
        match = _same_person(name, persons)
        if match is None:
            match = builder.entity(f"person:{_slug(name)}", name, "person", None, "article")
            persons.append(match)
        builder.mention(match, ent.start_char, ent.end_char)


def _same_person(name: str, persons: list[Entity]) -> Entity | None:
    """"Putin" is "Vladimir Putin": a surname (or full name) that ends a known person's name."""
    words = name.split()
    for person in persons:
        known = [person.name, *person.aliases]
        if any(k == name or k.split()[-len(words):] == words for k in known):
            return person
    return None


def _org_mentions(doc: Any, builder: _Builder, rules: ActorRules, place_spans: list[tuple[int, int]]) -> None:
    for ent in doc.ents:
        if ent.label_ not in {"ORG", "NORP"} or not builder.free(ent.start_char, ent.end_char):
            continue
        ent_text = cased_span(doc, ent.start_char, ent.end_char)  # truecased where the body is lower case
        name = _strip_article(re.sub(r"(’s|'s)$", "", ent_text.split(" (")[0].strip()))
        if name in rules.org_heads:
            continue  # a bare "Legion" is a short form, linked by _short_forms or left alone
        if ent.label_ == "NORP" and not _looks_like_group(name, rules):
            continue  # "Russian" is an affiliation, "Belgorod" here a place: not an actor
        if name in rules.platforms or _overlaps(ent.start_char, ent.end_char, place_spans):
            continue
        if not name or not name[0].isupper() or len(name) < 2:
            continue
        kind = "media" if set(name.split()) & rules.media_words else "organisation"
        start = ent.start_char + ent_text.index(name)
        entity = builder.entity(f"org:{_slug(name)}", name, kind, None, "article")
        builder.mention(entity, start, start + len(name))


def _looks_like_group(name: str, rules: ActorRules) -> bool:
    return len(name.split()) > 1 and name.split()[-1] in rules.org_heads


def _strip_article(text: str) -> str:
    return re.sub(r"^(the|The)\s+", "", text.strip())


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


_ALT_NAME = re.compile(r"\s+(?:or|also known as|aka|a\.k\.a\.)\s+(?:the\s+)?((?:[A-Z][\w’'-]*\s+)*?(?:of\s+)?(?:[A-Z][\w’'-]*\s*)+)")
_ACRONYM = re.compile(r"\s*\(([A-Z]{2,6})\)")


def _alternative_names(body: str, builder: _Builder) -> None:
    """"The Freedom of Russia Legion or Liberty of Russia Legion", "Rapid Support Forces (RSF)"."""
    for entity in list(builder.entities.values()):
        if entity.kind == "person":
            continue
        for mention in list(entity.mentions):
            for pattern in (_ALT_NAME, _ACRONYM):
                match = pattern.match(body, mention.end)
                if match:
                    start, end = match.span(1)
                    end = start + len(body[start:end].rstrip())
                    if not _plausible_name(body[start:end]):
                        continue
                    other = builder.owner(start, end)
                    if other is not None and other.source == "article" and other.kind != "person":
                        builder.merge(entity, other)
                    elif not builder.mention(entity, start, end):
                        continue
                    _link_everywhere(body, body[start:end], entity, builder)


def _plausible_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 6 and words[-1][0].isupper()


def _link_everywhere(body: str, alias: str, entity: Entity, builder: _Builder) -> None:
    """Every occurrence of ``alias`` in ``body`` as whole words (not inside a longer word)."""
    # As re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", body), by str.find: one regex per alias
    # and per article spilled re's cache and scanned slowly.
    if not alias:
        return
    at = body.find(alias)
    while at >= 0:
        end = at + len(alias)
        if not (at > 0 and _is_word_char(body[at - 1])) and not (end < len(body) and _is_word_char(body[end])):
            builder.mention(entity, at, end)
            at = body.find(alias, end)
        else:
            at = body.find(alias, at + 1)


def _is_word_char(char: str) -> bool:
    """What ``\\w`` matches in a str pattern."""
    return char.isalnum() or char == "_"


def _short_forms(body: str, builder: _Builder, rules: ActorRules) -> None:
    """"the Legion", "our Legion", "the legion": the nearest preceding group with that head noun."""
    heads: dict[str, list[Entity]] = {}
    for entity in builder.entities.values():
        entry = _lexicon_by_id().get(entity.id)
        head = entry.head if entry and entry.head else _head_of(entity.name, rules)
        if head and entity.kind != "person":
            heads.setdefault(head.casefold(), []).append(entity)
    for head, candidates in heads.items():
        pattern = re.compile(rf"\b(?:the|our|their|this|that)\s+({re.escape(head)})\b", re.IGNORECASE)
        for match in pattern.finditer(body):
            start, end = match.span(1)
            if _followed_by_name(body, end):
                continue  # "the Legion ‘Freedom of Russia’" is a full name, matched by the lexicon
            target = _nearest_before(candidates, start) or (candidates[0] if len(candidates) == 1 else None)
            if target is not None:
                builder.mention(target, start, end)


_GROUP_KINDS = {"armed group", "militia"}


def _generic_group_references(body: str, builder: _Builder, rules: ActorRules) -> None:
    """"the group", "the militants": the nearest armed group named before, if there is one."""
    groups = [e for e in builder.entities.values() if e.kind in _GROUP_KINDS]
    if not groups:
        return
    nouns = "|".join(re.escape(n) for n in sorted(rules.generic_group_nouns))
    for match in re.finditer(rf"\b(?:the|this|that)\s+({nouns})\b", body, re.IGNORECASE):
        start, end = match.span(1)
        target = _nearest_before(groups, start)
        if target is not None:
            builder.mention(target, start, end)


def _followed_by_name(body: str, end: int) -> bool:
    return re.match(r"\s*[‘'\"“]?[A-Z]", body[end:end + 4]) is not None and not body[end:end + 1] in ".,;:"


def _head_of(name: str, rules: ActorRules) -> str | None:
    last = name.split()[-1] if name.split() else ""
    return last if last in rules.org_heads else None


def _nearest_before(candidates: list[Entity], position: int) -> Entity | None:
    best: tuple[int, Entity] | None = None
    for entity in candidates:
        starts = [m.start for m in entity.mentions if m.start < position]
        if starts and (best is None or max(starts) > best[0]):
            best = (max(starts), entity)
    return best[1] if best else None


def _roles(doc: Any, builder: _Builder, rules: ActorRules) -> None:
    """Titles and demonyms right before a person's first mention: "Ukrainian MP Yuriy Mysiagin"."""
    for entity in builder.entities.values():
        if entity.kind != "person" or entity.role_span is not None or not entity.mentions:
            continue  # an entity whose every mention was taken by another has no first mention
        first = min(entity.mentions, key=lambda m: m.start)
        span = doc.char_span(first.start, first.end, alignment_mode="expand")
        tokens = list(doc[max(0, span.start - 4):span.start]) if span is not None else []
        role_tokens: list[Any] = []
        country: str | None = None
        for token in reversed(tokens):
            if token.text in rules.roles and not role_tokens:
                role_tokens.append(token)
            elif token.text in rules.demonyms and role_tokens:
                country = rules.demonyms[token.text]
                role_tokens.append(token)
                break
            elif role_tokens or token.is_punct:
                break
        if role_tokens:
            role_tokens.sort(key=lambda t: t.i)
            start, end = role_tokens[0].idx, role_tokens[-1].idx + len(role_tokens[-1].text)
            entity.role = role_tokens[-1].text if country is None else f"{doc_text(doc)[start:end]}"
            entity.role_span = Span(start, end, doc_text(doc)[start:end])
            entity.country = entity.country or country


def _metonymy(article: Article, builder: _Builder, rules: ActorRules) -> None:
    """A capital or country named for its state: "Kyiv's forces", "Moscow's war effort"."""
    import pycountry

    for place in article.places:
        if place.role != "metonymic" or not place.country or not builder.free(place.start, place.end):
            continue
        country = pycountry.countries.get(alpha_2=place.country)
        country_name = str(getattr(country, "common_name", None) or getattr(country, "name", place.country))
        following = article.body[place.end:place.end + 30].casefold()
        forces = any(re.match(rf"^(’s|'s)?\s+{re.escape(w)}\b", following) for w in rules.state_force_words)
        if forces:
            entity = builder.entity(f"military-forces-of-{_slug(country_name)}", f"Military Forces of {country_name}",
                                    "state forces", place.country, "article")
        else:
            entity = builder.entity(f"government-of-{_slug(country_name)}", f"Government of {country_name}",
                                    "government", place.country, "article")
        builder.mention(entity, place.start, place.end)


def _known_names_everywhere(body: str, builder: _Builder) -> None:
    """Names of entities already found, wherever the NER missed them ("anti-Putin", a bare surname)."""
    for entity in list(builder.entities.values()):
        entry = _lexicon_by_id().get(entity.id)
        names = set(entry.aliases if entry else ()) | {m.text for m in entity.mentions}
        if entity.kind == "person" and len(entity.name.split()) > 1:
            names.add(entity.name.split()[-1])  # "Wekesa" after "Amina Wekesa"
        for name in sorted(names, key=len, reverse=True):
            if len(name) >= 3 and name[0].isupper():
                _link_everywhere(body, name, entity, builder)


def find_actors(article: Article, options: Options) -> Article:
    """Fill ``article.entities`` from the parse (``article.doc``) and the places stage's metonymy."""
    doc = article.doc
    if doc is None:
        return article
    rules = load_rules()
    builder = _Builder(article.body)
    _lexicon_mentions(doc, builder)
    _callsigns(doc, builder, rules)
    _metonymy(article, builder, rules)
    _person_mentions(doc, builder, [(p.start, p.end) for p in article.places])
    _known_names_everywhere(article.body, builder)
    _org_mentions(doc, builder, rules, [(p.start, p.end) for p in article.places])
    _alternative_names(article.body, builder)
    _known_names_everywhere(article.body, builder)
    _short_forms(article.body, builder, rules)
    _generic_group_references(article.body, builder, rules)
    _roles(doc, builder, rules)
    _affiliations(doc, builder)
    article.entities = builder.result()
    return article


_PRONOUNS = {"he", "she", "they", "He", "She", "They"}


def link_pronoun_speakers(article: Article, options: Options) -> Article:
    """A pronoun the quotes stage resolved to a speaker ("He said") becomes a mention of that entity."""
    by_id = {e.id: e for e in article.entities}
    for quote in article.quotes:
        speaker = quote.speaker
        entity = by_id.get(speaker.entity_id or "")
        if entity is None or speaker.text not in _PRONOUNS or speaker.start is None or speaker.end is None:
            continue
        span = Span(speaker.start, speaker.end, speaker.text)
        if span not in entity.mentions:
            entity.mentions.append(span)
            entity.mentions.sort(key=lambda m: m.start)
    return article
