"""Speakers: who stands behind a speech cue, the words that name them, and the entity they are.

:class:`SpeakerReader` adds to the cues of speech_cues.py the speakers of one article: the subject
of a cue verb (or the name beside it), statements giving way to their authors ("a statement by
X"), accounts to who runs them, pronouns kept as pronouns for the quotes stage to resolve, and
the entity whose mention lies over a speaker's words. :class:`Who` is one speaker so found. The
quotes stage (quotes.py) settles speakers in reading order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..read.nlp import per_doc
from ..records import Article
from .quotemarks import CLOSING, OPENING, STRAIGHT
from .speech_cues import CueReader, Lexicon

__all__ = ["FIRST_PERSON", "PERSONAL", "SpeakerReader", "Who"]

PERSONAL = {"he", "she", "him", "her"}
NONPERSONAL = {"it", "they", "them"}
FIRST_PERSON = {"i", "we", "me", "us"}
RELATIVE = {"who", "that", "which", "whom"}
# Dependency labels of a noun's right-hand children that belong to a speaker's name ("critics of the
# plan", "officials at the ministry"); appositions and relative clauses describe it instead.
NP_RIGHT = {"prep", "pobj", "compound", "nummod", "cc", "conj", "case", "poss"}


@dataclass
class Who:
    """A speaker: its words (char offsets), head token, and what was learnt on the way."""

    start: int
    end: int
    head: int
    pronoun: str | None = None
    antecedent: int | None = None  # for a relative pronoun: the head of the noun phrase it stands for
    qualifier: tuple[int, int] | None = None
    entity_id: str | None = None


class SpeakerReader(CueReader):
    """One article's quote marks, speech cues and speakers, with the entities to link them to."""

    def __init__(self, article: Article, lexicon: Lexicon) -> None:
        super().__init__(article, lexicon)
        self.entities = article.entities

    # -- speakers

    def subject(self, verb: Any) -> Any | None:
        """Who speaks through ``verb``: its subject, or the subject of the verb it hangs from."""
        if verb.lower_ == "according":
            return next((c for t in verb.subtree if t.lower_ == "to" for c in t.children if c.dep_ == "pobj"), None)
        for _ in range(4):
            passive = verb.lemma_.lower() in self.lex.passive_speaker_verbs
            subjects = [c for c in verb.children if c.dep_ == "nsubj" or (c.dep_ == "nsubjpass" and passive)]
            if subjects:  # the nearest, where a parse gives two ("a statement by X" + "X")
                nearest = min(subjects, key=lambda c: abs(c.i - verb.i))
                return None if self.quoted(nearest.idx) else nearest
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            if agent is not None:
                return next((c for c in agent.children if c.dep_ == "pobj"), None)
            if verb.dep_ not in ("conj", "advcl", "xcomp", "pcomp", "prep") or verb.head.i == verb.i:
                return None
            verb = verb.head
        return None

    def neighbour(self, cue: Any, names_only: bool = False) -> Any | None:
        """Where the parse gives a cue no subject: the name right before it ("“...,” police chief Jo
        Bloggs said") or right after it ("said Jo Bloggs"); ``names_only``: no common nouns."""
        i = cue.i - 1
        while i >= 0 and self.doc[i].pos_ in ("ADV", "AUX", "PART"):
            i -= 1
        kinds = ("PROPN", "PRON") if names_only else ("PROPN", "NOUN", "PRON")
        if i >= 0 and self.doc[i].pos_ in kinds and not self.quoted(self.doc[i].idx):
            return self.doc[i]
        i = cue.i + 1
        if not names_only and i < len(self.doc) and self.doc[i].pos_ in ("PROPN", "PRON") and \
                not self.quoted(self.doc[i].idx):
            while i + 1 < len(self.doc) and self.doc[i + 1].pos_ == "PROPN":
                i += 1
            return self.doc[i]
        return None

    def who(self, head: Any) -> Who | None:
        """The speaker a subject stands for: an author behind a statement, a pronoun, a name."""
        lower = head.lower_
        if lower in RELATIVE and head.head.dep_ == "relcl":  # "a commander ... who said"
            return Who(head.idx, head.idx + len(head), head.i, pronoun=lower, antecedent=head.head.head.i)
        if head.pos_ == "PRON" and lower in PERSONAL | NONPERSONAL | FIRST_PERSON:
            return Who(head.idx, head.idx + len(head), head.i, pronoun=lower)
        if head.pos_ == "PRON" or head.is_punct:
            return None
        lemma = head.lemma_.lower()
        if lemma in self.lex.channel_nouns or lemma in self.lex.account_nouns:
            author = self.author_of(head)
            if author is not None:
                return author
        return self.name(head)

    def author_of(self, noun: Any) -> Who | None:
        """Who stands behind a statement or an account: "by X", "from X", "X's post", "an X statement"."""
        for token in _breadth_first(noun):
            if token.i == noun.i:
                continue
            if token.dep_ in ("poss", "compound") and token.head.i == noun.i and token.pos_ == "PROPN":
                return self.name(token)
            if token.dep_ == "pobj" and token.head.lower_ in ("by", "from") and not self.quoted(token.idx):
                if token.lemma_.lower() in self.lex.account_nouns:
                    return self.behind_account(token)
                return self.who(token) if token.pos_ != "PRON" else None
        return None

    def behind_account(self, account: Any) -> Who:
        """Who an account says runs it ("an account that claims to be run by X"), the account kept as
        the qualifier; the account itself when it names nobody."""
        np = self.phrase(account, full=True)
        for token in account.subtree:
            if token.lemma_.lower() in self.lex.author_links:
                for child in token.children:
                    target = next((c for c in child.children if c.dep_ == "pobj"), None) if child.dep_ in (
                        "agent", "prep") else None
                    if target is not None:
                        author = self.name(target)
                        author.qualifier = np
                        return author
        start, end = np
        return Who(start, end, account.i)

    def name(self, head: Any) -> Who:
        """The words naming a speaker: a person's name, or a noun phrase without its appositions."""
        start, end = self.phrase(head)
        return Who(start, end, head.i)

    def phrase(self, head: Any, full: bool = False) -> tuple[int, int]:
        """Char span of the noun phrase headed by ``head``: a proper name, or (``full``) its whole subtree."""
        doc = self.doc
        if full:
            return self.trimmed(head.left_edge.idx, head.right_edge.idx + len(head.right_edge))
        if head.pos_ == "PROPN":
            person = _person_at(doc, head.i) or _person_at(doc, head.i + 1)  # "MP Yuriy Mysiagin": the name
            if person is not None:
                left, right = person
            else:
                left = right = head.i
                while left > 0 and doc[left - 1].head.i == head.i and doc[left - 1].dep_ in ("compound", "flat") and \
                        doc[left - 1].pos_ == "PROPN":
                    left -= 1
                if left > 0 and doc[left - 1].lower_ == "the" and doc[left - 1].head.i == head.i:
                    left -= 1
            for child in head.rights:
                if child.dep_ == "conj" and child.pos_ == "PROPN":
                    right = max(right, child.i)
        else:
            left = min((c.left_edge.i for c in head.lefts if not c.is_punct and not self.quoted(c.idx)), default=head.i)
            # "the mayor, Anna Kovac,": a name in apposition belongs to the speaker's words
            right = max([head.i] + [
                c.right_edge.i for c in head.rights
                if c.dep_ in NP_RIGHT or (c.dep_ == "appos" and c.pos_ == "PROPN")
            ])
        first, last = doc[left], doc[right]
        return self.trimmed(first.idx, last.idx + len(last), OPENING + CLOSING + STRAIGHT + "(")

    # -- entities

    def link(self, who: Who) -> str | None:
        """The entity with a mention over the speaker's head word, else over any of its words."""
        head = self.doc[who.head].idx
        overlapping = [
            (not (m.start <= head < m.end), i, e)
            for i, e in enumerate(self.entities)
            for m in e.mentions
            if m.start < who.end and who.start < m.end
        ]
        return min(overlapping, key=lambda x: x[:2])[2].id if overlapping else None


def _person_at(doc: Any, i: int) -> tuple[int, int] | None:
    """First and last token of the PERSON entity at token ``i``, if one is there."""
    if i >= len(doc) or doc[i].ent_type_ != "PERSON":
        return None
    start, end = next((s, e) for s, e in per_doc(doc, "ent_bounds", _ent_bounds) if s <= i < e)
    return start, end - 1


def _ent_bounds(doc: Any) -> list[tuple[int, int]]:
    """(start, end) of each of ``doc.ents``: the property builds every entity's Span at each call."""
    return [(e.start, e.end) for e in doc.ents]


def _breadth_first(root: Any) -> list[Any]:
    order, frontier = [], [root]
    while frontier:
        order.extend(frontier)
        frontier = [c for t in frontier for c in t.children]
    return order
