"""Truecasing: restore letter case in an article body that came all in lower case.

Archives and scraped feeds often lower-case their text, and then spaCy's NER finds no names: no
actors, no places. :func:`is_lowercased` says whether a body is such a text (one cheap pass, so a
normal cased body costs next to nothing); :func:`Truecaser.truecase` returns a copy of it with only
the case of letters changed (same length, so every character offset stays valid), which the NLP
layer parses instead (see :func:`eventsift.read.nlp.parse_articles`). The parse is then moved back onto
the body's own words, so ``doc.text`` is the body and every span stays exact; the readers that look
at capital letters read them from :func:`cased_text`.

The case comes from data the project ships: the actor lexicon's aliases (data/actors.yaml),
demonyms (data/demonyms.tsv), weekday and month names (data/time_lexicon.yaml), acronyms and titles
(data/truecase.yaml), and the gazetteer's place names, taken only where the word is no common English
word (WordNet's word index, which the spaCy pipeline's lemmatizer ships) or the place is big. Sentence
starts and the pronoun "i" are capitalised as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..datafiles import data_text, load_data

__all__ = [
    "Truecaser", "cased_span", "cased_text", "doc_text", "is_lowercased", "load_truecaser", "recase_doc", "remember_text",
]

USER_DATA_KEY = "eventsift.truecased"
_TEXT_KEY = "eventsift.text"  # doc.text, kept once per Doc (see doc_text)
# A body with fewer capitals than this among its letters was lower-cased (cased English has ~3%).
_MAX_UPPER_RATIO = 0.004
_MIN_LETTERS = 20
_MAX_NGRAM = 4  # longest phrase looked up (actor aliases); place names up to 3 words
_BIG_TOWN = 200_000  # a town whose name is also an English noun ("Gaza", "Paris") still counts
_SMALL_TOWN = 1_000
_WORD = re.compile(r"[^\W_]+")
_JOINERS = {" ", "-", "'", "’"}
_SENTENCE_END = re.compile(r"[.!?]")
_REGIONAL = {"continent", "macroregion", "country", "admin1"}
_LOW_PARTICLES = {"of", "the", "on", "de", "da", "del", "la", "le", "al", "el", "and", "upon", "du", "des", "s"}

Lookup = Callable[[str], Sequence[Any]]


def is_lowercased(text: str) -> bool:
    """Whether ``text`` is (nearly) all lower case: enough letters and almost no capitals."""
    if not text:
        return False
    upper = sum(map(str.isupper, text))
    if upper > len(text) * _MAX_UPPER_RATIO:  # cheap exit for any normal cased text
        return False
    letters = sum(map(str.isalpha, text))
    return letters >= _MIN_LETTERS and upper <= letters * _MAX_UPPER_RATIO


@dataclass
class Truecaser:
    """Case restoration from phrase lists plus an optional gazetteer lookup (``name -> entries``)."""

    phrases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    months_ambiguous: frozenset[str] = frozenset()
    month_abbreviations: frozenset[str] = frozenset()
    month_cues: frozenset[str] = frozenset()
    dotted: dict[str, str] = field(default_factory=dict)
    no_sentence_end: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()  # "mr.", "gen.": the next word is a name
    not_places: frozenset[str] = frozenset()
    common: frozenset[str] = frozenset()  # ordinary English words, any part of speech
    common_not_noun: frozenset[str] = frozenset()  # ordinary verbs, adjectives, adverbs
    stop_words: frozenset[str] = frozenset()
    lookup: Lookup | None = None
    _places: dict[tuple[str, ...], tuple[str, ...] | None] = field(default_factory=dict)

    # --- building ---------------------------------------------------------------------------------

    def add(self, cased: str) -> None:
        """Learn the casing of one phrase ("Russian forces"); all-lower phrases teach nothing."""
        words = tuple(_WORD.findall(cased))
        if not words or len(words) > _MAX_NGRAM or cased == cased.lower():
            return
        key = tuple(w.lower() for w in words)
        if len(key) == 1 and (key[0] in self.stop_words or key[0] in self.common_not_noun):
            return
        self.phrases.setdefault(key, words)

    # --- the common-word test ---------------------------------------------------------------------

    def is_common(self, word: str) -> bool:
        if word in self.stop_words or word in self.common:
            return True
        for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                             ("ing", "e"), ("ers", ""), ("er", ""), ("ly", "")):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3 and word[: -len(suffix)] + repl in self.common:
                return True
        return False

    # --- truecasing -------------------------------------------------------------------------------

    def truecase(self, text: str) -> str:
        """A copy of ``text`` with names, sentence starts and acronyms capitalised; same length."""
        chars = list(text)
        words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
        self._phrases(text, words, chars)
        self._dotted(text, chars)
        self._sentence_starts(text, words, chars)
        out = "".join(chars)
        return out if len(out) == len(text) else text

    def _phrases(self, text: str, words: list[tuple[int, int, str]], chars: list[str]) -> None:
        i = 0
        while i < len(words):
            n = self._run(text, words, i)
            done = 0
            for size in range(min(n, _MAX_NGRAM), 0, -1):
                key = tuple(w[2] for w in words[i : i + size])
                cased = self.phrases.get(key)
                if cased is not None and not self._month_ok(key, words, i, size, text):
                    cased = None
                if cased is None and size <= 3:
                    cased = self._place(key)
                if cased is not None:
                    for (start, _end, low), form in zip(words[i : i + size], cased, strict=True):
                        _apply(chars, start, low, form)
                    done = size
                    break
            i += done or 1

    def _run(self, text: str, words: list[tuple[int, int, str]], i: int) -> int:
        """How many words from ``i`` on are joined only by a space, hyphen or apostrophe."""
        n = 1
        while i + n < len(words) and n < _MAX_NGRAM:
            gap = text[words[i + n - 1][1] : words[i + n][0]]
            if len(gap) != 1 or gap not in _JOINERS:
                break
            n += 1
        return n

    def _month_ok(self, key: tuple[str, ...], words: list[tuple[int, int, str]], i: int, size: int, text: str) -> bool:
        """"may", "march" and "jan" are months only next to a number or after a cue ("in may")."""
        if size != 1 or (key[0] not in self.months_ambiguous and key[0] not in self.month_abbreviations):
            return True
        before = words[i - 1][2] if i > 0 else ""
        after = words[i + 1][2] if i + 1 < len(words) else ""
        if before.isdigit() or after.isdigit() or _ordinal(before) or _ordinal(after):
            return True
        return key[0] in self.months_ambiguous and before in self.month_cues and not text[words[i][1] : words[i][1] + 1].isalpha()

    def _place(self, key: tuple[str, ...]) -> tuple[str, ...] | None:
        if key in self._places:
            return self._places[key]
        found = self._place_uncached(key)
        if len(self._places) > 100_000:
            self._places.clear()
        self._places[key] = found
        return found

    def _place_uncached(self, key: tuple[str, ...]) -> tuple[str, ...] | None:
        if self.lookup is None or key[0] in self.stop_words or key[-1] in self.stop_words:
            return None
        if not all(w.isalpha() for w in key) or sum(map(len, key)) < 3:
            return None
        if len(key) == 1 and (key[0] in self.not_places or key[0] in self.common_not_noun):
            return None
        entries = [e for e in self.lookup(" ".join(key)) if e.match != "code"]
        if not entries:
            return None
        best = entries[0]
        rare = [w for w in key if not self.is_common(w)]
        if all(w in self.not_places for w in key):
            return None
        if best.kind in _REGIONAL:  # a country or region named by an English noun ("Chad") counts
            ok = len(key) > 1 or key[0] in self.common or bool(rare)
        elif len(key) == 1:
            ok = (bool(rare) and best.population >= _SMALL_TOWN) or best.population >= _BIG_TOWN
        else:
            ok = bool(rare) or best.population >= 5 * _SMALL_TOWN
        if not ok:
            return None
        return _name_case(key, best.name)

    def _dotted(self, text: str, chars: list[str]) -> None:
        for low, form in self.dotted.items():
            for m in re.finditer(rf"(?<![\w.]){re.escape(low)}(?![\w])", text):
                _apply(chars, m.start(), low, form)

    def _sentence_starts(self, text: str, words: list[tuple[int, int, str]], chars: list[str]) -> None:
        prev_end = 0
        prev_word = ""
        for k, (start, end, low) in enumerate(words):
            gap = text[prev_end:start]
            first = k == 0 and not text[:start].strip(" \t\"'“‘([")
            if first or "\n" in gap or (_SENTENCE_END.search(gap) and not self._abbreviation(prev_word, gap)):
                if not gap.rstrip(" \t\"'“‘([\n").endswith((",", ":", ";")):
                    _upper_first(chars, start)
            elif gap.startswith(". ") and f"{prev_word}." in self.titles or low == "i" and end - start == 1 and text[end : end + 1] != "." and text[start - 1 : start] != ".":  # "gen. smith"
                _upper_first(chars, start)
            prev_end, prev_word = end, low

    def _abbreviation(self, prev_word: str, gap: str) -> bool:
        """"the u.s. said", "gen. smith": a full stop after an abbreviation ends no sentence."""
        return gap.startswith(".") and not gap.startswith("..") and (
            f"{prev_word}." in self.no_sentence_end or len(prev_word) == 1)


def _ordinal(word: str) -> bool:
    return bool(re.fullmatch(r"\d+(st|nd|rd|th)", word))


def _apply(chars: list[str], start: int, low: str, form: str) -> None:
    """Copy the case of ``form`` onto the characters at ``start`` (letters only, lengths equal)."""
    if len(form) != len(low):
        _upper_first(chars, start)
        return
    for k, ch in enumerate(form):
        old = chars[start + k]
        if ch != old and ch.lower() == old and len(ch) == 1:
            chars[start + k] = ch


def _upper_first(chars: list[str], start: int) -> None:
    up = chars[start].upper()
    if len(up) == 1:
        chars[start] = up


def _name_case(key: tuple[str, ...], name: str) -> tuple[str, ...]:
    """The casing of the gazetteer's name where it spells the same words, else title case."""
    words = tuple(_WORD.findall(name))
    if tuple(w.lower() for w in words) == key:
        return words
    return tuple(w if w in _LOW_PARTICLES and k else w[:1].upper() + w[1:] for k, w in enumerate(key))


def _wordnet(nlp: Any) -> tuple[frozenset[str], frozenset[str]]:
    """(all words, non-noun words) of WordNet's index as shipped in the pipeline's lemmatizer."""
    try:
        lookups = nlp.get_pipe("lemmatizer").lookups
        index = lookups.get_table("lemma_index")
        exc = lookups.get_table("lemma_exc")
    except (KeyError, ValueError, AttributeError):
        return frozenset(), frozenset()
    by_pos = {pos: set(index[pos]) for pos in ("noun", "verb", "adj", "adv") if pos in index}
    words: set[str] = set().union(*by_pos.values()) if by_pos else set()
    not_noun = set().union(*(v for k, v in by_pos.items() if k != "noun")) if by_pos else set()
    for pos in ("verb", "adj", "adv"):
        if pos in exc:
            not_noun.update(exc[pos])
    if "noun" in exc:
        words.update(exc["noun"])
    words |= not_noun
    return frozenset(w for w in words if "_" not in w), frozenset(w for w in not_noun if "_" not in w)


def _phrase_sources() -> Iterable[str]:
    from .actors import load_lexicon

    for entry in load_lexicon():
        yield from entry.aliases
    for line in data_text("demonyms.tsv").splitlines():
        if line and not line.startswith("#"):
            demonym = line.split("\t")[0]
            yield demonym
            yield demonym + ("" if demonym.endswith("s") else "s")


def build_truecaser(nlp: Any = None, lookup: Lookup | None = None) -> Truecaser:
    """A truecaser from the project's data; ``nlp`` lends its WordNet index and stop words,
    ``lookup`` (a gazetteer's ``lookup``) its place names."""
    from spacy.lang.en.stop_words import STOP_WORDS

    raw = load_data("truecase.yaml")
    times = load_data("time_lexicon.yaml")
    common, not_noun = _wordnet(nlp) if nlp is not None else (frozenset(), frozenset())
    months = times["months"]
    tc = Truecaser(
        months_ambiguous=frozenset(m.lower() for m in months.get("ambiguous", [])),
        month_abbreviations=frozenset(m.lower() for m in months.get("abbreviations", {})),
        month_cues=frozenset({True: "on", False: "no"}.get(w, str(w)).lower() for w in times.get("month_cues", [])),
        dotted={k.lower(): v for k, v in raw["forms"].items() if "." in k},
        no_sentence_end=frozenset(w.lower() for w in raw["no_sentence_end"]),
        titles=frozenset(k.lower() for k, v in raw["forms"].items() if k.endswith(".") and v[1:2].islower()),
        not_places=frozenset(w.lower() for w in raw["not_places"]),
        common=common,
        common_not_noun=not_noun,
        stop_words=frozenset(STOP_WORDS) | {"s", "t"},
        lookup=lookup,
    )
    for name in [*times["weekdays"], *months["names"], *months.get("abbreviations", {})]:
        tc.phrases[(name.lower(),)] = (name,)
    for low, form in raw["forms"].items():
        if "." not in low:
            tc.phrases[tuple(_WORD.findall(low.lower()))] = tuple(_WORD.findall(form))
    for cased in _phrase_sources():
        tc.add(cased)
    return tc


@lru_cache(maxsize=2)
def load_truecaser(model: str) -> Truecaser:
    """The process's truecaser for one spaCy pipeline, with the built gazetteer where there is one."""
    from ..places.gazetteer import built_gazetteer
    from .nlp import load_nlp

    gazetteer = built_gazetteer()
    return build_truecaser(load_nlp(model), gazetteer.lookup if gazetteer is not None else None)


# --- the parse of a truecased copy, moved back onto the body --------------------------------------


def recase_doc(doc: Any, body: str) -> Any:
    """The parse ``doc`` of a truecased copy of ``body``, rebuilt on the body's own characters.

    Tokens, tags, lemmas, the dependency tree and entities carry over; ``doc.text == body``;
    :func:`cased_text` gives the truecased copy back.
    """
    from spacy.attrs import (
        DEP,
        ENT_ID,
        ENT_IOB,
        ENT_KB_ID,
        ENT_TYPE,
        HEAD,
        LEMMA,
        MORPH,
        POS,
        SENT_START,
        TAG,
    )
    from spacy.tokens import Doc

    words = [body[t.idx : t.idx + len(t.text)] for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    new = Doc(doc.vocab, words=words, spaces=spaces)
    attrs = [TAG, POS, MORPH, LEMMA, ENT_IOB, ENT_TYPE, ENT_ID, ENT_KB_ID]
    attrs += [HEAD, DEP] if doc.has_annotation("DEP") else [SENT_START] if doc.has_annotation("SENT_START") else []
    new.from_array(attrs, doc.to_array(attrs))
    new.user_data[USER_DATA_KEY] = doc.text
    return new


def cased_text(doc: Any) -> str:
    """The text whose capitals the readers may trust: the truecased copy where there is one."""
    data = getattr(doc, "user_data", None)
    if data is None:
        return str(doc.text)
    text = data.get(USER_DATA_KEY)
    return text if isinstance(text, str) else doc_text(doc)


def doc_text(doc: Any) -> str:
    """``doc.text``, joined once per Doc: spaCy joins it from the tokens on every access (milliseconds
    for an article), and the readers ask for it once per token. The NLP layer stores the parsed body
    (:func:`remember_text`)."""
    data = getattr(doc, "user_data", None)
    if data is None:
        return str(doc.text)
    text = data.get(_TEXT_KEY)
    if not isinstance(text, str):
        text = data[_TEXT_KEY] = doc.text
    return text


def remember_text(doc: Any, text: str) -> None:
    """Record that ``doc`` is the parse of ``text`` (``doc.text == text``), so :func:`doc_text` need not
    join it again."""
    doc.user_data[_TEXT_KEY] = text


def cased_span(doc: Any, start: int, end: int) -> str:
    """``doc.text[start:end]`` (character offsets) with the case of the truecased copy."""
    return cased_text(doc)[start:end]
