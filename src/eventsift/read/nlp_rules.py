"""Faster stand-ins, with the same results, for two rule-based spaCy components.

spaCy's ``attribute_ruler`` runs its Matcher (179 patterns in en_core_web_sm) over every token and its
rule ``lemmatizer`` walks every token in Python: together about a fifth of the parse time of the sm
pipeline, though nearly every token repeats a case already seen. Both read a token's attributes and
write others, so both can remember the answer per distinct input:

- :class:`FastAttributeRuler` evaluates each one-token pattern's predicates once per distinct (TAG,
  LOWER, DEP, IS_SPACE), checks the few two-token patterns only where their first token fits, and
  applies the matched patterns' attributes with spaCy's own ``set_token_attrs`` in the order spaCy
  does (pattern number, then position), all predicates read before any attribute is written.
- :class:`FastLemmatizer` keeps the lemma per (ORTH, POS, MORPH), the very key of spaCy's own cache in
  ``Lemmatizer.rule_lemmatize``, asks the spaCy lemmatizer on a miss, and writes the lemmas as one
  array. Like spaCy (``overwrite`` false), it leaves lemmas set earlier (by the attribute ruler).

They replace the components under the same names when the pipeline loads (:func:`speed_up`), only
where they can: an unknown pattern shape, a lemmatizer not in rule mode or set to overwrite, keeps
spaCy's component. tests/test_nlp_rules.py compares every token attribute with spaCy's own.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

__all__ = ["FastAttributeRuler", "FastLemmatizer", "speed_up"]

log = logging.getLogger(__name__)

_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_MEMO_LIMIT = 200_000  # entries kept per memo before it starts over  # what the patterns this class handles may test


def _predicate(value: Any) -> Callable[[Any], bool] | None:
    """A test on one attribute's value as spaCy's Matcher does it, or None for an unknown form."""
    if isinstance(value, (str, bool)):
        return lambda v: bool(v == value)
    if not isinstance(value, dict) or len(value) != 1:
        return None
    (op, arg), = value.items()
    if op == "IN":
        within = frozenset(arg)
        return lambda v: v in within
    if op == "NOT_IN":
        outside = frozenset(arg)
        return lambda v: v not in outside
    if op == "REGEX":
        pattern = re.compile(arg)
        return lambda v: bool(pattern.search(v))
    return None


def _token_test(spec: dict[str, Any]) -> Callable[[tuple[str, str, str, bool]], bool] | None:
    """All of one pattern token's tests, over (tag, lower, dep, is_space); None for an unknown form."""
    tests: list[tuple[int, Callable[[Any], bool]]] = []
    for attr, value in spec.items():
        test = _predicate(value)
        if attr not in _ATTRS or test is None:
            return None
        tests.append((_ATTRS.index(attr), test))
    return lambda values: all(test(values[at]) for at, test in tests)


class FastAttributeRuler:
    """spaCy's AttributeRuler with its matches worked out once per distinct token (see the module)."""

    def __init__(self, ruler: Any) -> None:
        self.original = ruler
        self.vocab = ruler.vocab
        self.attrs = ruler.attrs
        self.singles: list[tuple[int, Callable[[tuple[str, str, str, bool]], bool]]] = []
        self.pairs: list[tuple[int, int, Callable[..., bool], Callable[..., bool]]] = []
        self.supported = self._compile(ruler)
        self._named_lowers, self._lower_regexes = self._lower_tests()
        self._regex_results: dict[int, tuple[bool, ...]] = {}
        self._matches_by_key: dict[tuple[Any, ...], tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self._combined_by_numbers: dict[tuple[int, ...], dict[Any, Any]] = {}

    def _compile(self, ruler: Any) -> bool:
        for number, pattern in enumerate(ruler.patterns):
            for alternative in pattern["patterns"]:
                tests = [_token_test(spec) for spec in alternative]
                if any(t is None for t in tests) or not 1 <= len(tests) <= 2 or pattern["index"] not in range(len(tests)):
                    return False
                if len(tests) == 1:
                    self.singles.append((number, tests[0]))  # type: ignore[arg-type]
                else:
                    self.pairs.append((number, pattern["index"], tests[0], tests[1]))  # type: ignore[arg-type]
        # Attributes as spaCy ids (no "_" extensions): each one a field set on its own, so patterns
        # applied in order equal their attributes merged in order (_combined).
        return len(self.attrs) == len(ruler.patterns) and all(isinstance(k, int) for a in self.attrs for k in a)

    def _lower_tests(self) -> tuple[frozenset[int], list[re.Pattern[str]]]:
        """The LOWER values any pattern names, as hashes, and the LOWER regexes: two words that are
        both unnamed and agree on every regex pass or fail every LOWER test alike."""
        named: set[str] = set()
        regexes: list[re.Pattern[str]] = []
        for pattern in self.original.patterns:
            for spec in (s for alternative in pattern["patterns"] for s in alternative):
                value = spec.get("LOWER")
                if isinstance(value, str):
                    named.add(value)
                elif isinstance(value, dict) and "REGEX" in value:
                    regexes.append(re.compile(value["REGEX"]))
                elif isinstance(value, dict):
                    named.update(*value.values())
        return frozenset(self.vocab.strings.add(w) for w in named), regexes

    def _lower_class(self, lower: int) -> Any:
        """``lower`` itself when a pattern names it, else which LOWER regexes it meets."""
        if lower in self._named_lowers:
            return lower
        found = self._regex_results.get(lower)
        if found is None:
            text = self.vocab.strings[lower]
            found = tuple(bool(r.search(text)) for r in self._lower_regexes)
            if len(self._regex_results) > _MEMO_LIMIT:
                self._regex_results.clear()  # bounded memory over any number of documents
            self._regex_results[lower] = found
        return found

    def _strings(self, row: list[int]) -> tuple[str, str, str, bool]:
        strings = self.vocab.strings
        return strings[row[0]], strings[row[1]], strings[row[2]], bool(row[3])

    def _matches_for(self, key: tuple[Any, ...], row: list[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(one-token patterns that match, two-token patterns whose first token matches) for a token
        of this key; ``row`` is one such token's (TAG, LOWER, DEP, IS_SPACE)."""
        found = self._matches_by_key.get(key)
        if found is None:
            values = self._strings(row)
            found = (tuple(sorted({number for number, test in self.singles if test(values)})),
                     tuple(n for n, (_, _, first, _) in enumerate(self.pairs) if first(values)))
            self._matches_by_key[key] = found
        return found

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist() if len(doc) else []
        singles_at: list[tuple[int, ...]] = []
        pairs_at: dict[int, set[int]] = {}  # token -> two-token patterns that write it
        for i, row in enumerate(rows):  # every test reads the tokens as they were before any write
            singles, pair_starts = self._matches_for((row[0], self._lower_class(row[1]), row[2], row[3]), row)
            singles_at.append(singles)
            for n in pair_starts:
                number, index, _, second = self.pairs[n]
                if i + 1 < len(rows) and second(self._strings(rows[i + 1])):
                    pairs_at.setdefault(i + index, set()).add(number)
        for i, singles in enumerate(singles_at):
            numbers = tuple(sorted(pairs_at[i].union(singles))) if i in pairs_at else singles
            if numbers:
                set_token_attrs(doc[i], self._combined(numbers))
        return doc

    def _combined(self, numbers: tuple[int, ...]) -> dict[Any, Any]:
        """The attributes of these patterns applied in pattern order (spaCy's), as one dict: a later
        pattern's value of an attribute replaces an earlier one's, each attribute set on its own."""
        found = self._combined_by_numbers.get(numbers)
        if found is None:
            found = {}
            for number in numbers:
                found.update(self.attrs[number])
            self._combined_by_numbers[numbers] = found
        return found

    def pipe(self, docs: Iterable[Any], batch_size: int = 128) -> Iterator[Any]:
        for doc in docs:
            yield self(doc)


class FastLemmatizer:
    """spaCy's rule Lemmatizer with the lemma kept per (ORTH, POS, MORPH) (see the module)."""

    def __init__(self, lemmatizer: Any) -> None:
        self.original = lemmatizer
        self.lookups = lemmatizer.lookups  # truecase reads the tables through the component
        self.supported = lemmatizer.mode == "rule" and not lemmatizer.overwrite
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        lemmas = [row[3] for row in rows]
        strings = doc.vocab.strings
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma:
                continue
            key = (orth, pos, morph)
            found = self._lemmas.get(key)
            if found is None:
                found = strings.add(self.original.lemmatize(doc[i])[0])
                if len(self._lemmas) > _MEMO_LIMIT:
                    self._lemmas.clear()
                self._lemmas[key] = found
            lemmas[i] = found
        import numpy

        doc.from_array([LEMMA], numpy.asarray(lemmas, dtype="uint64"))
        return doc

    def pipe(self, docs: Iterable[Any], batch_size: int = 128) -> Iterator[Any]:
        for doc in docs:
            yield self(doc)


def speed_up(nlp: Any) -> None:
    """Put the fast stand-ins in place of ``attribute_ruler`` and ``lemmatizer`` where they apply."""
    from spacy.language import Language

    for name, make in (("attribute_ruler", FastAttributeRuler), ("lemmatizer", FastLemmatizer)):
        if name not in nlp.pipe_names:
            continue
        component = make(nlp.get_pipe(name))
        if not component.supported:
            log.info("keeping spaCy's %s: a rule form the fast one does not know", name)
            continue
        factory = f"eventsift_fast_{name}"
        if factory not in Language.factories:
            Language.factory(factory, func=_handing_over)
        _HANDOVER.append(component)
        nlp.replace_pipe(name, factory)


_HANDOVER: list[Any] = []  # the component a factory call hands to spaCy's replace_pipe


def _handing_over(nlp: Any, name: str) -> Any:
    return _HANDOVER.pop()
