"""Event fatalities: deaths (and injuries) reported for the event, with their words.

Part of the event-arguments reading (see event_args.py for the shared lexicon and parse helpers).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..records import Article, Fatalities
from .args import argument_words, in_sentence, load_lexicon, span_of, tree_path
from .types import Trigger

__all__ = ["event_fatalities"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Count:
    value: int | None
    low: int | None
    high: int | None
    qualifier: str | None
    start: int
    end: int


@lru_cache(maxsize=1)
def _casualty_words() -> dict[str, Any]:
    return load_lexicon("casualty_lexicon.yaml")


@lru_cache(maxsize=1)
def _numbers() -> dict[str, Any]:
    return load_lexicon("number_words.yaml")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[re.Pattern[str]]]:
    nums = _numbers()
    words = _casualty_words()
    unit = "|".join(sorted((re.escape(w) for w in nums["units"]), key=len, reverse=True))
    mult = "|".join(re.escape(w) for w in nums["multipliers"])
    word_number = rf"(?:(?:{unit})(?:[\s-]+(?:{unit}))*(?:\s+(?:{mult}))?(?:\s+(?:and\s+)?(?:{unit}))*)"
    number = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{word_number})"
    vague = "|".join(sorted((re.escape(w) for w in nums["vague"]), key=len, reverse=True))
    bound = "|".join(sorted((re.escape(w) for w in nums["bounds"]), key=len, reverse=True))
    quantity = (rf"(?:(?P<bound>{bound})\s+)?(?:between\s+(?P<lo>{number})\s+and\s+(?P<hi>{number})"
                rf"|(?P<lo2>\d+)\s*(?:-|–|to)\s*(?P<hi2>\d+)|(?P<num>{number})|(?P<vague>{vague}))")
    people = "|".join(re.escape(w) for w in words["people_words"])
    filler = r"(?:[\w’'-]+\s+){0,3}?"
    death = "|".join(sorted((re.escape(w) for w in words["death_words"]), key=len, reverse=True))
    injury = "|".join(sorted((re.escape(w) for w in words["injury_words"]), key=len, reverse=True))
    verb_link = r"(?:\s+(?:were|was|have\s+been|has\s+been|had\s+been|are|is|being|been|reportedly|also|"
    verb_link += r"later|all|reported|confirmed|believed|feared|found|now|said\s+to\s+have\s+been))*"
    # "killed 130 in Paris", "killing 3 on Monday": a bare number read as people where a clause goes on.
    after_bare = r"(?=\s*(?:[,.;:)]|and\b|$|(?:in|at|near|on|across|during|since|after|before|when|while|" \
                 r"including|among|as|last|this|overnight|yesterday|today)\b))"

    not_sentence = r"(?!\s+(?:sentence|imprisonment|term)\b)"  # "a life sentence" counts nobody

    def forms(kind: str) -> list[re.Pattern[str]]:
        """"12 civilians were killed" / "3 dead"; "killing 5 people"; "the death toll rose to 7"."""
        flags = re.IGNORECASE
        return [
            re.compile(rf"\b{quantity}(?:\s+{filler}(?:{people})\b)?{verb_link}\s+(?:{kind})\b{not_sentence}", flags),
            re.compile(rf"\b(?:{kind})\s+(?:an?\s+estimated\s+)?{quantity}\b(?:\s+{filler}(?:{people})\b|{after_bare})", flags),
            re.compile(rf"\b(?:death\s+toll|toll)\s+(?:\w+\s+){{0,3}}?(?:to|of|at)\s+{quantity}\b", flags),
            # "the death toll in the blast, initially 10, has risen to 12": the latest figure
            re.compile(rf"\b(?:death\s+toll|toll)\b[^.;]{{0,80}}?\b(?:rose|risen|climbed|increased|jumped|grew|"
                       rf"reached|stood|stands|hit)\s+(?:to\s+|at\s+)?{quantity}\b", flags),
        ]

    zero = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in words["zero_phrases"]) + r")\b", re.IGNORECASE)
    return {"death": forms(death), "injury": forms(injury), "zero": [zero]}


def event_fatalities(trigger: Trigger, article: Article) -> Fatalities | None:
    """Deaths reported for the event, from its sentence (or the next, when it carries on the quote).

    Reads digits and number words, ranges ("between 3 and 5", "3-5"), bounds ("at least 4" -> low),
    vague quantities ("dozens" -> low 24, qualifier "dozens", value None: no exact number) and "no
    casualties" (0). Injuries go to ``injured``. Dead of the speaker's own side, reported in its
    statement, get the qualifier "own soldiers". A count must be this event's: not a date's number
    ("on Aug. 7 killed"), not the toll of another event noun it hangs on ("died in a shootout following
    the attack that left 14 dead"). The next sentence counts when it carries on the quote, or when it
    only gives the toll ("Russian forces shelled X. A civilian was killed."). With no number, the persons
    a death word of the event names count one each ("shot and killed a doctor", "X and his wife died").
    None where the text gives no count.
    """
    for start, end in _fatality_scopes(trigger, article):
        found = _fatalities_in(article, start, end, trigger)
        if found is not None:
            if found.value == 1 and found.qualifier is None:  # "killing a student and his cousin": both
                named = _named_victims(trigger, article)
                if named is not None and (named.value or 0) > 1:
                    return named
            return found
    return _named_victims(trigger, article)


def _fatality_scopes(trigger: Trigger, article: Article) -> list[tuple[int, int]]:
    scopes = [(trigger.sentence_start, trigger.sentence_end)]
    following = _next_sentence(trigger, article)
    if following is not None and (_same_quote(trigger, following, article) or _toll_sentence(trigger, following, article)):
        scopes.append(following)
    return scopes


def _toll_sentence(trigger: Trigger, following: tuple[int, int], article: Article) -> bool:
    """The next sentence only gives the toll: "Russian forces shelled X. A civilian was killed." It names
    no other event (its only event words are deaths and injuries), no place the trigger's sentence does
    not, and does not open on another event ("In another attack", "Separately", "Last year")."""
    doc = article.doc
    if doc is None:
        return False
    from .types import sentence_triggers

    text = article.body[following[0]:following[1]].lstrip(" \t\n\"'`“‘").lower()
    openers = _casualty_words().get("other_event_openers") or []
    if any(re.match(rf"{re.escape(str(w))}\b", text) for w in openers):
        return False
    span = doc.char_span(following[0], following[1], alignment_mode="expand")
    if span is None:
        return False
    casualty = _casualty_lemmas()
    if any(doc[t.token_i].lemma_.lower() not in casualty for t in sentence_triggers(span, article.body, keep_all=True)):
        return False
    for token in span:  # "were killed near A, B and C": a toll spread over several places
        if token.dep_ == "pobj" and token.head.lower_ in argument_words().locative and token.pos_ == "PROPN" and any(
                c.pos_ == "PROPN" for c in token.conjuncts):
            return False
    own_times = {t.text.lower() for t in article.times if in_sentence(trigger, t.start, t.end)}
    if any(following[0] <= t.start and t.end <= following[1] and t.type in {"DATE", "TIME"}
           and t.text.lower() not in own_times for t in article.times):
        return False  # "Rebels attacked X last year. On Monday 5 soldiers were killed": another time
    own = {p.name for p in article.places if in_sentence(trigger, p.start, p.end)}
    return not any(p.name not in own for p in article.places
                   if following[0] <= p.start and p.end <= following[1] and p.role == "literal")


def _next_sentence(trigger: Trigger, article: Article) -> tuple[int, int] | None:
    doc = article.doc
    if doc is None:
        return None
    sentence = doc[trigger.token_i].sent
    if sentence.end >= len(doc):
        return None
    nxt = doc[sentence.end].sent
    return nxt.start_char, nxt.end_char


def _same_quote(trigger: Trigger, following: tuple[int, int], article: Article) -> bool:
    """The next sentence continues the trigger's quote (one statement, one event)."""
    for quote in article.quotes:
        content = quote.content
        if content.start <= trigger.start < content.end and content.start < following[1] and following[0] < content.end:
            return True
    return False


def _fatalities_in(article: Article, start: int, end: int, trigger: Trigger | None = None) -> Fatalities | None:
    """The first death count of the text that is this event's: not a date ("on Aug. 7 killed"), not
    the toll of another event the sentence names ("died in a shootout after the attack that left 14
    dead": the 14 are the attack's)."""
    text = article.body[start:end]
    patterns = _patterns()

    def keep(a: int, b: int) -> bool:
        return not _is_date_number(article, start + a, start + b) and (
            trigger is None or _toll_of(trigger, article, start + a, start + b))

    zero = patterns["zero"][0].search(text)
    deaths = _first_count(patterns["death"], text, keep)
    injuries = _first_count(patterns["injury"], text, keep)
    if deaths is None and zero is None:
        return None
    if deaths is None or (zero is not None and zero.start() < deaths.start):
        assert zero is not None
        own = _own_side(article, start + zero.start(), start + zero.end(), text[zero.end():zero.end() + 30])
        return Fatalities(0, 0, 0, own, span_of(article, start + zero.start(), start + zero.end()),
                          injured=0 if "injur" in zero.group(0).lower() else None)
    injured = injuries.value if injuries is not None and injuries.start != deaths.start else None
    return Fatalities(deaths.value, deaths.low, deaths.high, deaths.qualifier,
                      span_of(article, start + deaths.start, start + deaths.end), injured=injured)


def _first_count(patterns: list[re.Pattern[str]], text: str,
                 keep: Callable[[int, int], bool] | None = None) -> _Count | None:
    """The earliest count any of the forms reads in the text (that ``keep`` accepts)."""
    found: list[_Count] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            count = _count(match)
            if count is not None and (keep is None or keep(match.start(), match.end())):
                found.append(count)
                break
    return min(found, key=lambda c: c.start) if found else None


def _count(match: re.Match[str]) -> _Count | None:
    groups = match.groupdict()
    bound = (groups.get("bound") or "").lower() or None
    bounds: dict[str, str] = _numbers()["bounds"]
    if groups.get("lo") or groups.get("lo2"):
        low = _number(groups.get("lo") or groups.get("lo2") or "")
        high = _number(groups.get("hi") or groups.get("hi2") or "")
        return _Count(None, low, high, "range", match.start(), match.end())
    if groups.get("vague"):
        word = groups["vague"].lower()
        floor = _numbers()["vague"].get(word)
        return _Count(None, floor, None, word, match.start(), match.end())
    value = _number(groups.get("num") or "")
    if value is None:
        return None
    kind = bounds.get(bound) if bound else None
    if kind == "low":
        return _Count(value, value, None, bound, match.start(), match.end())
    if kind == "high":
        return _Count(None, None, value, bound, match.start(), match.end())
    return _Count(value, value, value, bound, match.start(), match.end())


# More than any single event has killed: a larger "count" is a typo, a code or an attack on the reader
# (a 32-digit integer breaks 64-bit database columns), not a toll, so it is not read as one.
MAX_COUNT = 10_000_000


def _number(text: str) -> int | None:
    """Digits ("1,200") or number words ("twenty-three", "two hundred and five"); None past MAX_COUNT."""
    value = _parse_number(text)
    return value if value is None or value <= MAX_COUNT else None


def _parse_number(text: str) -> int | None:
    text = text.strip().lower()
    if not text:
        return None
    digits = text.replace(",", "")
    if digits.isdecimal():
        # past MAX_COUNT's length it is no count; int() of thousands of digits is slow or refused
        return int(digits) if len(digits) <= len(str(MAX_COUNT)) else None
    units: dict[str, int] = _numbers()["units"]
    multipliers: dict[str, int] = _numbers()["multipliers"]
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text):
        if word == "and":
            continue
        if word in units:
            current += units[word]
        elif word in multipliers:
            total += max(current, 1) * multipliers[word]
            current = 0
        else:
            return None
    return total + current


def _own_side(article: Article, start: int, end: int, after: str) -> str | None:
    """'own soldiers' where a side's own statement says its soldiers were not (or were) hurt."""
    inside_quote = any(q.content.start <= start and end <= q.content.end for q in article.quotes)
    words = _casualty_words()["own_side_words"]
    following = re.findall(r"[\w’']+", (article.body[start:end] + " " + after).lower())
    if inside_quote and any(w in words for w in following[:8]):
        return "own soldiers"
    return None


_MONTH_BEFORE = re.compile(r"\b(?:jan|feb|febr|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
                           r"may|june|july|august|september|october|november|december)\.?\s*$", re.IGNORECASE)


def _is_date_number(article: Article, start: int, end: int) -> bool:
    """The count's number is a day of a date: "on Aug. 7 killed 258 people" read as "7 killed"."""
    if any(t.start < end and start < t.end and t.type in {"DATE", "TIME"} for t in article.times):
        return True
    return bool(_MONTH_BEFORE.search(article.body[max(0, start - 12):start]))


def _casualty_lemmas() -> frozenset[str]:
    words = _casualty_words()
    return frozenset(str(w).lower() for w in [*words["death_words"], *words["injury_words"]])


def _toll_of(trigger: Trigger, article: Article, start: int, end: int) -> bool:
    """The casualty words at start:end report this trigger's event: the way between them in the parse
    passes through no other event noun ("died in a shootout following the attack that left 14 dead")."""
    doc = article.doc
    if doc is None:
        return True
    from .types import load_lexicon

    lexicon = load_lexicon().rules
    casualty = _casualty_lemmas()
    head = doc[trigger.token_i]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return True
    words = [t for t in span if t.lemma_.lower() in casualty or t.lower_ in casualty]
    if not words:
        return True
    path = tree_path(words[0], head)
    if path is None:
        return True
    _, up_word, _up_head = path
    # Only event nouns the toll hangs on before it reaches the trigger's branch count: "killed in an
    # explosion as a result of mishandling a grenade" tells the grenade's toll (the grenade is in the
    # explosion's words); "died in a shootout following the attack that left 14 dead" does not.
    between = list(up_word[1:-1])
    if len(up_word) >= 2 and up_word[-2].dep_ in {"relcl", "acl"}:
        between.append(up_word[-1])  # "the attack that left 14 dead", the trigger inside its words
    conjoined = {t.i for t in head.conjuncts}
    for token in between:
        if token.i in {head.i, words[0].i} or token.i in conjoined:
            continue
        lemma = token.lemma_.lower()
        if token.pos_ in {"NOUN", "PROPN"} and lemma in lexicon and lemma not in casualty:
            return False
    return True


def _victim_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    words = _casualty_words()

    def lower(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in words.get(key) or [])

    people = lower("person_nouns") | lower("people_words")
    return lower("victim_verbs"), lower("victim_nouns"), lower("to_death_verbs"), people, lower("one_person_words")


def _named_victims(trigger: Trigger, article: Article) -> Fatalities | None:
    """Where no number is given: the persons a death word of this event names, one each ("a sniper
    shot and killed a doctor": 1; "X and his wife died in a shootout": 2). A plural with no number
    ("killed civilians"), "they" or a group stays unknown."""
    doc = article.doc
    if doc is None:
        return None
    head = doc[trigger.token_i]
    bases = [head]
    if head.dep_ in {"nsubj", "nsubjpass", "dobj"}:
        bases.append(head.head)  # "the bombing killed ...", "opened fire, killing ..."
    elif head.dep_ == "pobj" and head.head.dep_ == "prep":
        bases.append(head.head.head)  # "died in a shootout"
    candidates: list[Any] = []
    for base in bases:
        for token in [base, *[c for c in base.children if c.dep_ in {"conj", "advcl", "xcomp", "relcl", "acl"}],
                      *base.conjuncts]:
            if token not in candidates:
                candidates.append(token)
    for token in candidates:
        if not (trigger.sentence_start <= token.idx < trigger.sentence_end):
            continue
        victims = _victims(token)
        if not victims:
            continue
        count = _person_count(victims, token.lemma_.lower() in _victim_words()[4])
        if count is None:
            return None
        first = min([token, *victims], key=lambda t: t.left_edge.i).left_edge if victims[0].i < token.i else token
        last = max([token, *victims], key=lambda t: t.i)
        return Fatalities(count, count, count, None, span_of(article, first.idx, last.idx + len(last)))
    return None


def _victims(token: Any) -> list[Any]:
    """Who died by this death word: the object of "kill", the subject of "was killed" or "died", the
    "of" object or possessor of "murder"; the antecedent of "who"."""
    verbs, nouns, to_death, _people, _one = _victim_words()
    lemma = token.lemma_.lower()
    children = list(token.children)
    found: Any | None = None
    if token.pos_ in {"VERB", "AUX"}:
        dead = any(c.lower_ == "dead" and c.dep_ in {"oprd", "acomp", "advmod", "xcomp", "dobj"} for c in children) or any(
            c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children) for c in children)
        if lemma not in verbs and not (lemma in to_death and dead):
            return []
        passive = next((c for c in children if c.dep_ == "nsubjpass"), None)
        if lemma in {"die", "perish"}:
            found = next((c for c in children if c.dep_ == "nsubj"), None)
        elif passive is not None:
            found = passive
        else:
            found = next((c for c in children if c.dep_ in {"dobj", "obj"}), None)
        if found is not None and found.tag_ in {"WP", "WDT"} and token.dep_ == "relcl":
            found = token.head  # "the soldier who was killed"
    elif token.pos_ == "NOUN" and lemma in nouns:
        of = next((c for c in children if c.dep_ == "prep" and c.lower_ == "of"), None)
        found = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if found is None:
            found = next((c for c in children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
    if found is None:
        return []
    return [found, *[c for c in found.conjuncts if c.i > found.i]]


def _person_count(victims: list[Any], one_person: bool = False) -> int | None:
    """One for each victim that names one person; None where any may be more ("civilians", "they")."""
    people = _victim_words()[3]
    total = 0
    for victim in victims:
        number = next((c for c in victim.children if c.dep_ == "nummod"), None)
        if number is not None or victim.like_num:  # "two brothers died": the number, whatever the noun
            value = _number((number or victim).text)
            if value is None or total + value > MAX_COUNT:
                return None
            total += value
            continue
        total += 1
        if victim.pos_ == "PRON":
            if victim.lower_ not in {"he", "she", "him", "her"}:
                return None
        elif victim.pos_ == "PROPN":
            if victim.ent_type_ not in {"", "PERSON"} and not one_person:
                return None
        elif victim.pos_ != "NOUN" or victim.tag_ != "NN" or victim.lemma_.lower() not in people:
            return None
    return total
