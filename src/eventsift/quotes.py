"""Quotes and attribution: who said what, through which channel, with the words behind each value.

Stage ``find_quotes(article, options) -> article`` fills ``article.quotes`` from the body and its
spaCy Doc, after the actors stage has filled ``article.entities``. In order: quote marks (curly,
straight, ASCII; multi-paragraph quotes; transcript turns), the frames that cue direct quotes ("X
said: “...”", "“...,” X said"), reported speech ("X said that ...", "according to X"), then speakers
settled in reading order (statements give way to their authors, accounts to who runs them,
pronouns to the previous speaker or latest fitting mention, cue-less quotes carry on the previous
speaker) and linked to entities. Cues and channels are data (data/speech_cues.yaml,
data/channels.yaml). docs/quotes.md tells the rules in full.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .records import Article, Entity, Quote, Span, Speaker
from .settings import Options

__all__ = ["Lexicon", "QuoteRun", "find_quotes", "load_lexicon", "paragraph_bounds", "quote_runs", "whole_quotes"]

log = logging.getLogger(__name__)

DATA = Path(__file__).parent / "data"
OPENING, CLOSING, STRAIGHT = "“„«", "”»", '"'
SENTENCE_END = {".", "!", "?"}
PERSONAL = {"he", "she", "him", "her"}
NONPERSONAL = {"it", "they", "them"}
FIRST_PERSON = {"i", "we", "me", "us"}
RELATIVE = {"who", "that", "which", "whom"}
# A clause opening with these is when or why something was said, not what ("said when she resigned").
TIME_CLAUSE = {"when", "before", "after", "while", "because", "since", "until", "as", "once", "whenever"}
# Dependency labels of a noun's right-hand children that belong to a speaker's name ("critics of the
# plan", "officials at the ministry"); appositions and relative clauses describe it instead.
NP_RIGHT = {"prep", "pobj", "compound", "nummod", "cc", "conj", "case", "poss"}
# Words before a cue verb that belong to it: "has said", "did not confirm", "also said".
CUE_LEFT = {"aux", "auxpass", "neg", "advmod"}
# A quote with no cue needs this many words to count as speech (titles and scare quotes are shorter).
MIN_UNCUED_WORDS = 4
# How far (in tokens) a cue may sit from the quote it frames.
FRAME_BEFORE, FRAME_AFTER = 25, 8
_LABEL = re.compile(r"[“\"]?\s*([A-Z][A-Z.'’\- ]{0,28}[A-Z.])\s*:\s+")


# --- lexicon ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Channel:
    """A normalised channel name and the patterns that name it in a quote's frame."""

    name: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Lexicon:
    """Speech cues and channels, read from data/speech_cues.yaml and data/channels.yaml."""

    verbs: frozenset[str]
    clause_verbs: frozenset[str]  # cue only with a clause as object ("believe that ..."), never a frame
    object_verbs: frozenset[str]
    infinitive_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    phrasal_verbs: frozenset[tuple[str, str]]
    phrases: tuple[tuple[str, ...], ...]
    passive_speaker_verbs: frozenset[str]
    channel_nouns: frozenset[str]
    account_nouns: frozenset[str]
    author_links: frozenset[str]
    not_speaker_labels: frozenset[str]
    channels: tuple[Channel, ...]

    def channel_in(self, text: str, offset: int = 0) -> tuple[str, int, int] | None:
        """The first channel (in file order) named in ``text``: (name, start, end), offsets + ``offset``."""
        for channel in self.channels:
            for pattern in channel.patterns:
                match = pattern.search(text)
                if match:
                    return channel.name, offset + match.start(), offset + match.end()
        return None


@lru_cache(maxsize=4)
def load_lexicon(data_dir: str | None = None) -> Lexicon:
    """The cue and channel lexicons (from the package's data folder unless ``data_dir`` is given)."""
    folder = Path(data_dir) if data_dir else DATA
    cues = yaml.safe_load((folder / "speech_cues.yaml").read_text(encoding="utf-8"))
    channels = yaml.safe_load((folder / "channels.yaml").read_text(encoding="utf-8"))
    enabled = [c for c in cues["categories"].values() if c.get("enabled", True)]
    framing = {v for c in enabled if not c.get("clause_only") for v in c["verbs"]}
    clause_only = {v for c in enabled if c.get("clause_only") for v in c["verbs"]} - framing
    return Lexicon(
        verbs=frozenset(framing | clause_only),
        clause_verbs=frozenset(clause_only),
        object_verbs=frozenset(cues.get("object_verbs", [])),
        infinitive_verbs=frozenset(cues.get("infinitive_verbs", [])),
        naming_verbs=frozenset(cues.get("naming_verbs", [])),
        phrasal_verbs=frozenset(tuple(p.split()) for p in cues.get("phrasal_verbs", [])),  # type: ignore[misc]
        phrases=tuple(tuple(p.split()) for p in cues.get("phrases", [])),
        passive_speaker_verbs=frozenset(cues.get("passive_speaker_verbs", [])),
        channel_nouns=frozenset(cues.get("channel_nouns", [])),
        account_nouns=frozenset(cues.get("account_nouns", [])),
        author_links=frozenset(cues.get("author_links", [])),
        not_speaker_labels=frozenset(cues.get("not_speaker_labels", [])),
        channels=tuple(
            Channel(c["name"], tuple(re.compile(p, re.IGNORECASE) for p in c["patterns"]))
            for c in channels["channels"]
        ),
    )


# --- quote marks --------------------------------------------------------------------------------


@dataclass
class QuoteRun:
    """A double-quoted stretch of the body: content pieces (inside the marks), one per paragraph."""

    pieces: list[tuple[int, int]]
    open_at: int  # offset of the opening mark
    close_at: int | None = None  # offset of the closing mark; None when never closed
    paragraph: int = 0
    close_width: int = 1

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]

    @property
    def stop(self) -> int:
        """Where the run ends, closing mark included."""
        return self.close_at + self.close_width if self.close_at is not None else self.end


def paragraph_bounds(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: paragraphs are separated by blank lines."""
    return [(m.start(), m.start() + len(m.group().rstrip())) for m in re.finditer(r"\S(?:[^\n]|\n(?!\s*\n))*", body)]


def _mark(body: str, i: int) -> tuple[str, int]:
    """The quote mark at ``i``: "open", "close", "straight" (either) or "" (none), and its width.
    ASCII-fied text writes double quotes as two apostrophes or backticks (''...'' or ``...'')."""
    char = body[i]
    if body.startswith(("''", "``"), i):
        return "straight", 2
    if char in OPENING:
        return "open", 1
    if char in CLOSING:
        return "close", 1
    return ("straight", 1) if char == STRAIGHT else ("", 1)


def quote_runs(body: str, paragraphs: list[tuple[int, int]] | None = None, skip: frozenset[int] = frozenset()) -> list[QuoteRun]:
    """Every double-quoted stretch of ``body``; paragraphs whose index is in ``skip`` are not read."""
    paragraphs = paragraph_bounds(body) if paragraphs is None else paragraphs
    runs: list[QuoteRun] = []
    run: QuoteRun | None = None
    for index, (p_start, p_end) in enumerate(paragraphs):
        i, piece = p_start, p_start
        if run is not None:
            kind, width = _mark(body, p_start)
            if index not in skip and kind in ("open", "straight"):
                i = piece = p_start + width  # the quote runs on: this paragraph re-opens it
            else:
                runs.append(run)
                run = None
        if index in skip:
            continue
        while i < p_end:
            kind, width = _mark(body, i)
            if run is None and kind in ("open", "straight"):
                run, piece = QuoteRun([], i, paragraph=index), i + width
            elif run is not None and kind in ("close", "straight"):
                if i > piece:
                    run.pieces.append((piece, i))
                run.close_at, run.close_width = i, width
                if run.pieces:
                    runs.append(run)
                run = None
            i += width
        if run is not None:
            run.pieces.append((piece, p_end))
    if run is not None and run.pieces:
        runs.append(run)
    return runs


# --- reading one article ------------------------------------------------------------------------


@dataclass
class _Who:
    """A speaker: its words (char offsets), head token, and what was learnt on the way."""

    start: int
    end: int
    head: int
    pronoun: str | None = None
    antecedent: int | None = None  # for a relative pronoun: the head of the noun phrase it stands for
    qualifier: tuple[int, int] | None = None
    entity_id: str | None = None


@dataclass
class _Draft:
    content: tuple[int, int]
    kind: str
    cue: tuple[int, int] | None = None
    who: _Who | None = None
    channel: tuple[str, int, int] | None = None
    continues: bool = False  # no cue: the previous quote's speaker goes on
    pieces: list[tuple[int, int]] = field(default_factory=list)  # later paragraphs of a run-on quote


class _Reader:
    """The state of reading one article: its text, parse, quote marks and entity mentions."""

    def __init__(self, article: Article, lexicon: Lexicon) -> None:
        self.body, self.doc, self.lex = article.body, article.doc, lexicon
        self.entities = article.entities
        self.paragraphs = paragraph_bounds(self.body)
        self.para_starts = [s for s, _ in self.paragraphs]
        self.tok_starts = [t.idx for t in self.doc]
        self.turns = self._turns()
        self.runs = quote_runs(self.body, self.paragraphs, frozenset(self.turns))
        self.marks = [(r.open_at, r.stop) for r in self.runs]
        self.mark_starts = [a for a, _ in self.marks]
        self.used: set[int] = set()  # token indices already serving as a cue or inside a speaker

    # -- positions

    def tok_at(self, char: int) -> int:
        return max(0, bisect_right(self.tok_starts, char) - 1)

    def para_of(self, char: int) -> int:
        return max(0, bisect_right(self.para_starts, char) - 1)

    def quoted(self, char: int) -> bool:
        """Whether ``char`` lies inside a quote, marks included."""
        i = bisect_right(self.mark_starts, char) - 1
        return i >= 0 and self.marks[i][0] <= char < self.marks[i][1]

    def trimmed(self, start: int, end: int, extra: str = "") -> tuple[int, int]:
        """The span without surrounding whitespace and punctuation (plus ``extra`` characters)."""
        strip = " \t\n,;:" + extra
        while start < end and self.body[start] in strip:
            start += 1
        while end > start and self.body[end - 1] in strip:
            end -= 1
        return start, end

    # -- transcripts

    def _turns(self) -> dict[int, tuple[int, int, int]]:
        """Paragraphs that open with a speaker label ("PENCE: ..."): index -> (label start, end, colon)."""
        found: dict[int, tuple[int, int, int]] = {}
        for index, (start, end) in enumerate(self.paragraphs):
            match = _LABEL.match(self.body, start, end)
            if not match or len(match.group(1).split()) > 3:
                continue
            label = match.group(1).strip(" .")
            if label in self.lex.not_speaker_labels or not any(c.isalpha() for c in label):
                continue
            colon = self.body.index(":", match.end(1))
            found[index] = (match.start(1), match.start(1) + len(match.group(1).rstrip(" ")), colon)
        return found if len(found) >= 2 else {}  # one label alone is a heading, not a transcript

    def turn_drafts(self) -> list[_Draft]:
        drafts = []
        for index, (l_start, l_end, colon) in self.turns.items():
            content = self.trimmed(colon + 1, self.paragraphs[index][1], OPENING + CLOSING + STRAIGHT)
            if content[1] > content[0]:
                who = _Who(l_start, l_end, self.tok_at(l_start))
                drafts.append(_Draft(content, "direct", (colon, colon + 1), who))
        return drafts

    # -- cues

    def cue_end(self, token: Any, frame: bool = False) -> int | None:
        """The end of the cue that ``token`` starts (a speech verb, "point out", "according to"), or None;
        ``frame``: as the frame of a direct quote, where attitude verbs ("believe") do not count."""
        if token.pos_ == "VERB" and token.dep_ not in ("amod", "acl") and not self.quoted(token.idx):
            lemma = token.lemma_.lower()
            for child in token.children:
                if child.dep_ == "prt" and (lemma, child.lower_) in self.lex.phrasal_verbs:
                    return child.idx + len(child) if child.i == token.i + 1 else token.idx + len(token)
            if lemma in self.lex.verbs and not (frame and lemma in self.lex.clause_verbs):
                return token.idx + len(token)
        for phrase in self.lex.phrases:
            words = self.doc[token.i : token.i + len(phrase)]
            if len(words) == len(phrase) and tuple(w.lower_ for w in words) == phrase:
                return words[-1].idx + len(words[-1])
        return None

    def cue_before(self, run: QuoteRun) -> Any | None:
        """The cue framing ``run`` from before: "X said: “...”", "X said, “...”", "X said “...”"."""
        i = self.tok_at(run.open_at) - 1
        while i >= 0 and self.doc[i].is_space:
            i -= 1
        para_start = self.paragraphs[run.paragraph][0]
        if i >= 0 and self.doc[i].idx < para_start and self.body[para_start:run.open_at].strip() == "":
            # "X said:" closing the previous paragraph frames a quote that opens this one
            if self.doc[i].text != ":" or run.paragraph == 0:
                return None
            para_start = self.paragraphs[run.paragraph - 1][0]
        window: list[Any] = []
        while i >= 0 and self.doc[i].idx >= para_start and len(window) < FRAME_BEFORE:
            token = self.doc[i]
            if self.quoted(token.idx) or token.text in SENTENCE_END:
                break
            if not token.is_space:
                window.append(token)
            i -= 1
        if not window or not (window[0].text in (":", ",", "—", "–") or self.cue_end(window[0], frame=True)):
            return None
        return next((t for t in window if self.cue_end(t, frame=True)), None)

    def cue_after(self, run: QuoteRun) -> Any | None:
        """The cue framing ``run`` from after: "“...,” X said", "“...,” said X, a ..."."""
        if run.close_at is None:
            return None
        para_end = self.paragraphs[self.para_of(run.close_at)][1]
        i, words = self.tok_at(run.close_at) + 1, 0
        # after a full stop a new sentence begins: only "“...” He said." reads as this quote's frame
        tail = self.body[run.pieces[-1][0]:run.pieces[-1][1]].rstrip(" '’\"”")
        reach = 3 if tail.endswith(".") else FRAME_AFTER
        while i < len(self.doc) and self.doc[i].idx < para_end and words < reach:
            token = self.doc[i]
            if self.quoted(token.idx) or token.text in SENTENCE_END | {";", ":"}:
                return None
            if self.cue_end(token, frame=True):
                # a verb with its own clause to the right reports that clause, not this quote
                own = any(
                    c.dep_ == "ccomp" and c.i > token.i and not self.quoted(c.left_edge.idx) for c in token.children
                )
                return None if own else token
            words += not token.is_punct
            i += 1
        return None

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

    def who(self, head: Any) -> _Who | None:
        """The speaker a subject stands for: an author behind a statement, a pronoun, a name."""
        lower = head.lower_
        if lower in RELATIVE and head.head.dep_ == "relcl":  # "a commander ... who said"
            return _Who(head.idx, head.idx + len(head), head.i, pronoun=lower, antecedent=head.head.head.i)
        if head.pos_ == "PRON" and lower in PERSONAL | NONPERSONAL | FIRST_PERSON:
            return _Who(head.idx, head.idx + len(head), head.i, pronoun=lower)
        if head.pos_ == "PRON" or head.is_punct:
            return None
        lemma = head.lemma_.lower()
        if lemma in self.lex.channel_nouns or lemma in self.lex.account_nouns:
            author = self.author_of(head)
            if author is not None:
                return author
        return self.name(head)

    def author_of(self, noun: Any) -> _Who | None:
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

    def behind_account(self, account: Any) -> _Who:
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
        return _Who(start, end, account.i)

    def name(self, head: Any) -> _Who:
        """The words naming a speaker: a person's name, or a noun phrase without its appositions."""
        start, end = self.phrase(head)
        return _Who(start, end, head.i)

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

    # -- drafts

    def direct_drafts(self) -> list[_Draft]:
        """One draft per quote mark run that reads as speech, in order."""
        drafts: list[_Draft] = []
        for run in self.runs:
            # a short quote right after a quote in its paragraph carries on ("“...,” she said. “No.”")
            follows = bool(drafts) and self.para_of(drafts[-1].content[1]) == run.paragraph
            draft = self.direct(run, follows)
            if draft is not None:
                drafts.append(draft)
        return drafts

    def direct(self, run: QuoteRun, follows: bool = False) -> _Draft | None:
        first = self.trimmed(*run.pieces[0])
        last = self.trimmed(*run.pieces[-1]) if len(run.pieces) > 1 else first
        content = self.trimmed(first[0], last[1])
        if content[1] <= content[0] or self.title(content):
            return None
        tail = self.body[run.pieces[-1][0]:run.pieces[-1][1]].rstrip(" '’\"”")  # "... vote,'" ends in a comma
        ends_clause = tail[-1:] in (".", "!", "?", "…", "—", "-", ",")
        after = self.cue_after(run) if ends_clause or run.close_at is None else None
        before = self.cue_before(run)
        cue = after if after is not None and (before is None or tail.endswith(",")) else before
        draft = _Draft(content, "direct", pieces=[self.trimmed(*p) for p in run.pieces[1:]])
        if cue is not None:
            self.attribute(draft, cue)
            return draft
        signed = self.signature(run)
        if signed is not None:
            dash, first, last = signed
            draft.cue, draft.who = (dash.idx, _end(dash)), _Who(first.idx, _end(last), last.i)
            return draft
        if self.standalone(run, content, 1 if follows else MIN_UNCUED_WORDS):
            draft.continues = True
            return draft
        return None

    def signature(self, run: QuoteRun) -> tuple[Any, Any, Any] | None:
        """A quote signed with a dash and a name that ends its paragraph ("“...” ― Jo Bloggs"):
        the dash, and the first and last words of the name."""
        if run.close_at is None:
            return None
        para_end = self.paragraphs[self.para_of(run.close_at)][1]
        i = self.tok_at(run.stop)
        while i < len(self.doc) and (self.doc[i].is_space or self.doc[i].idx < run.stop):
            i += 1
        if i >= len(self.doc) or self.doc[i].text not in ("―", "—", "–", "-", "--"):
            return None
        names = []
        for token in self.doc[i + 1 :]:
            if token.idx >= para_end or token.text in (",", ".") or "\n" in token.text_with_ws:
                if token.pos_ == "PROPN" and token.text != ",":
                    names.append(token)
                break
            if token.is_space:
                break
            if token.pos_ != "PROPN" or not token.text[:1].isupper():
                return None
            names.append(token)
        return (self.doc[i], names[0], names[-1]) if names else None

    def title(self, content: tuple[int, int]) -> bool:
        """Quoted words that are a title ("Make Your Kid a Millionaire"), not speech: every longer
        word capitalised, and no sentence punctuation."""
        words = re.findall(r"[^\W\d_][\w'’-]*", self.body[content[0]:content[1]])
        long = [w for w in words if len(w) > 3]
        ends = self.body[content[1] - 1] in ".!?"
        return len(words) >= 2 and bool(long) and all(w[0].isupper() for w in long) and not ends

    def standalone(self, run: QuoteRun, content: tuple[int, int], min_words: int) -> bool:
        """A quote with no cue is speech when it stands as a sentence of its own, long enough to be one."""
        before = self.body[self.paragraphs[run.paragraph][0]:run.open_at].rstrip()
        opens = before == "" or before[-1] in ".!?”\""
        words = len(self.body[content[0]:content[1]].split())
        return opens and words >= min_words and self.body[content[1] - 1] in ".!?…—-\"”"

    def attribute(self, draft: _Draft, cue: Any) -> None:
        """Fill cue, speaker and channel from a cue token."""
        cue_end = self.cue_end(cue) or cue.idx + len(cue)
        draft.cue = (_cue_start(cue), cue_end)
        self.used.update(t.i for t in self.doc[cue.i : self.tok_at(cue_end - 1) + 1])
        subject = self.subject(cue)
        if subject is None and cue.lower_ != "according":
            subject = self.neighbour(cue, names_only=draft.kind != "direct")
        draft.who = self.who(subject) if subject is not None else None
        if draft.who is not None:
            # words naming a speaker are not cues themselves ("an account that claims to be run by X")
            for start, end in [(draft.who.start, draft.who.end), draft.who.qualifier or (0, 0)]:
                self.used.update(range(self.tok_at(start), self.tok_at(end - 1) + 1) if end > start else ())
        frame = self.frame(cue, draft)
        for start, end in frame:
            found = self.lex.channel_in(self.body[start:end], start)
            if found:
                draft.channel = found
                break

    def frame(self, cue: Any, draft: _Draft) -> list[tuple[int, int]]:
        """The words of the attribution clause outside quotes and content: where a channel is named."""
        anchor = cue
        while anchor.dep_ in ("conj", "advcl", "xcomp", "pcomp") and anchor.head.i != anchor.i:
            anchor = anchor.head
        start = min(anchor.left_edge.idx, cue.idx)
        end = max(anchor.right_edge.idx + len(anchor.right_edge), cue.idx + len(cue))
        holes = sorted([draft.content] + [m for m in self.marks if m[0] < end and start < m[1]])
        pieces, at = [], start
        for a, b in holes:
            if a > at:
                pieces.append((at, min(a, end)))
            at = max(at, b)
        if end > at:
            pieces.append((at, end))
        return pieces

    def reported_drafts(self, direct: list[_Draft]) -> list[_Draft]:
        """Reported speech: "X said (that) ...", "..., X said", "according to X, ..."."""
        taken = [d.content for d in direct]
        drafts = []
        for token in self.doc:
            if token.i in self.used or self.cue_end(token) is None or self.quoted(token.idx):
                continue
            content = self.reported_content(token)
            if content is None or content[1] - content[0] < 3:
                continue
            if any(_overlap(content, t) > 0.5 * (content[1] - content[0]) for t in taken):
                continue
            text = self.body[content[0]:content[1]]
            kind = "mixed" if any(m in text for m in OPENING + CLOSING + STRAIGHT) else "reported"
            draft = _Draft(content, kind)
            self.attribute(draft, token)
            if draft.who is None:
                continue  # "it is said that ...": nobody to attribute it to
            drafts.append(draft)
            taken.append(content)
        return drafts

    def reported_content(self, cue: Any) -> tuple[int, int] | None:
        """The words a cue reports: its clause, infinitive or object, or the clause it is tucked into."""
        if cue.lower_ == "according":
            return self.according_content(cue)
        lemma = cue.lemma_.lower()
        clauses = [
            c for c in cue.children
            if (c.dep_ == "ccomp" or _bare_clause(c)) and c.left_edge.lower_ not in TIME_CLAUSE
            # an attitude verb does not report the quote beside it ("they believe: “...”")
            and not (lemma in self.lex.clause_verbs and self.quoted(c.left_edge.idx))
        ] + self.misattached_clauses(cue)
        if clauses:
            return self.subtree(min(clauses, key=lambda c: abs(c.i - cue.i)))
        if _tucked_in(cue):
            # "The bridge fell, officials said." / "The bridge, officials said, fell.": the host clause;
            # a cue inside it stays inside the span (a span has no holes)
            head = cue.head
            if cue.i > head.i and cue.right_edge.i >= head.right_edge.i - 1:
                return self.trimmed(head.left_edge.idx, cue.left_edge.idx)
            if lemma not in self.lex.clause_verbs:
                return self.subtree(head)
        if lemma in self.lex.clause_verbs:
            return None
        objects = {c.dep_: c for c in cue.rights}
        if lemma in self.lex.infinitive_verbs and "xcomp" in objects:
            first = objects.get("dobj", objects["xcomp"])  # "urged residents to stay": residents too
            return self.trimmed(first.left_edge.idx, _end(objects["xcomp"].right_edge))
        if lemma in self.lex.naming_verbs and "dobj" in objects:
            named = objects.get("oprd") or next((c for c in cue.rights if c.lower_ == "as"), None)
            return self.trimmed(objects["dobj"].left_edge.idx, _end(named.right_edge)) if named else None
        if lemma in self.lex.object_verbs and "dobj" in objects:
            return self.subtree(objects["dobj"])
        return None

    def misattached_clauses(self, cue: Any) -> list[Any]:
        """"said in a video address that help was coming": a parse may hang the that-clause on the
        channel noun as a relative clause; with a subject of its own and no object, it is what was said."""
        found = []
        for prep in (c for c in cue.rights if c.dep_ == "prep"):
            for noun in (c for c in prep.children if c.dep_ == "pobj" and c.lemma_.lower() in self.lex.channel_nouns):
                for clause in noun.rights:
                    if clause.dep_ not in ("relcl", "acl") or clause.left_edge.lower_ != "that":
                        continue
                    deps = {c.dep_: c for c in clause.children}
                    subject = deps.get("nsubj") or deps.get("nsubjpass")
                    if subject is not None and subject.lower_ != "that" and "dobj" not in deps:
                        found.append(clause)
        return found

    def subtree(self, token: Any) -> tuple[int, int]:
        return self.trimmed(token.left_edge.idx, _end(token.right_edge))

    def according_content(self, cue: Any) -> tuple[int, int] | None:
        sent = cue.sent
        phrase = (cue.left_edge.i, max(t.i for t in cue.subtree))
        before = (sent.start, phrase[0])
        after = (phrase[1] + 1, sent.end)
        # the side holding the clause it hangs from; else the longer side
        host = cue.head if cue.head.i != cue.i and cue.head.pos_ in ("VERB", "AUX") else None
        if host is not None and sent.start <= host.i < sent.end:
            start, end = before if host.i < phrase[0] else after
        else:
            start, end = max(before, after, key=lambda r: r[1] - r[0])
        if end <= start:
            return None
        last = self.doc[end - 1]
        return self.trimmed(self.doc[start].idx, last.idx + len(last), ".")

    # -- settling speakers in reading order

    def settle(self, drafts: list[_Draft]) -> list[_Draft]:
        drafts.sort(key=lambda d: d.content)
        done: list[_Draft] = []
        for draft in drafts:
            if draft.continues:
                previous = done[-1] if done else None
                near = previous is not None and self.para_of(draft.content[0]) - self.para_of(previous.content[1]) <= 1
                if previous is not None and near:
                    draft.who, draft.channel = previous.who, previous.channel
            elif draft.who is not None:
                draft.who.entity_id = self.resolve(draft, done) if draft.who.pronoun else self.link(draft.who)
            done.append(draft)
        return done

    def link(self, who: _Who) -> str | None:
        """The entity with a mention over the speaker's head word, else over any of its words."""
        head = self.doc[who.head].idx
        overlapping = [
            (not (m.start <= head < m.end), i, e)
            for i, e in enumerate(self.entities)
            for m in e.mentions
            if m.start < who.end and who.start < m.end
        ]
        return min(overlapping, key=lambda x: x[:2])[2].id if overlapping else None

    def resolve(self, draft: _Draft, done: list[_Draft]) -> str | None:
        """A pronoun's entity: the previous speaker nearby, else the latest fitting mention before it."""
        assert draft.who is not None and draft.who.pronoun is not None
        pronoun, at = draft.who.pronoun, draft.who.start
        if draft.who.antecedent is not None:
            return self.link(self.who(self.doc[draft.who.antecedent]) or self.name(self.doc[draft.who.antecedent]))
        if pronoun in FIRST_PERSON:
            return None  # outside quotes, "we" is the outlet
        by_id = {e.id: e for e in self.entities}
        for previous in reversed(done):
            if self.para_of(at) - self.para_of(previous.content[1]) > 1:
                break
            entity = by_id.get(previous.who.entity_id or "") if previous.who else None
            if entity is not None and _fits(entity, pronoun):
                return entity.id
        mentions = [
            (m.start, e.id)
            for e in self.entities
            if _fits(e, pronoun)
            for m in e.mentions
            if m.end <= at and not self.quoted(m.start)
        ]
        return max(mentions)[1] if mentions else None

    def quotes(self, drafts: list[_Draft]) -> list[Quote]:
        # later paragraphs of a run-on quote come again each on its own, after the whole
        return [q for d in drafts for q in [self.quote(d, d.content)] + [self.quote(d, p, False) for p in d.pieces]]

    def quote(self, draft: _Draft, content: tuple[int, int], cue: bool = True) -> Quote:
        who = draft.who
        if who is None:
            speaker = Speaker(None, "", None, None)
        else:
            speaker = Speaker(who.entity_id, self.body[who.start:who.end], who.start, who.end)
        return Quote(
            speaker=speaker,
            cue=self.span(*draft.cue) if draft.cue and cue else None,
            channel=draft.channel[0] if draft.channel else None,
            content=self.span(*content),
            kind=draft.kind,
            channel_span=self.span(*draft.channel[1:]) if draft.channel else None,
            qualifier=self.span(*who.qualifier) if who and who.qualifier else None,
        )

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.body[start:end])


def _person_at(doc: Any, i: int) -> tuple[int, int] | None:
    """First and last token of the PERSON entity at token ``i``, if one is there."""
    if i >= len(doc) or doc[i].ent_type_ != "PERSON":
        return None
    ent = next(e for e in doc.ents if e.start <= i < e.end)
    return ent.start, ent.end - 1


def _breadth_first(root: Any) -> list[Any]:
    order, frontier = [], [root]
    while frontier:
        order.extend(frontier)
        frontier = [c for t in frontier for c in t.children]
    return order


def _cue_start(verb: Any) -> int:
    """Where a verb cue starts: with its auxiliaries and negation ("did not confirm", "has also said"),
    so that a denial never reads as a statement."""
    start = verb.i
    while start > 0 and verb.doc[start - 1].head.i == verb.i and verb.doc[start - 1].dep_ in CUE_LEFT:
        start -= 1
    return int(verb.doc[start].idx)


def _end(token: Any) -> int:
    return int(token.idx + len(token))


def _tucked_in(cue: Any) -> bool:
    """A cue set into the clause it reports: "..., officials said", "as the minister put it"."""
    if any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in cue.children):
        return False  # "as he welcomed the guests": a verb with its own object reports nothing here
    return bool(cue.dep_ == "parataxis" or (cue.dep_ == "advcl" and any(c.lower_ == "as" for c in cue.children)))


def _bare_clause(token: Any) -> bool:
    """An adverbial clause with its own subject and no conjunction: a misparsed object clause
    ("said after the debate he would not ...")."""
    return bool(
        token.dep_ == "advcl"
        and any(c.dep_ == "nsubj" for c in token.children)
        and not any(c.dep_ == "mark" for c in token.children)
    )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _fits(entity: Entity, pronoun: str) -> bool:
    """Whether a pronoun can stand for the entity: he/she for people, it/they for the rest."""
    person = "person" in (entity.kind or "").lower()
    if pronoun in PERSONAL:
        return person
    return not person or pronoun in ("they", "them")


# --- the stage ----------------------------------------------------------------------------------


def find_quotes(article: Article, options: Options) -> Article:
    """Stage: fill ``article.quotes`` (direct quotes, reported speech, their speakers and channels)."""
    if not article.body.strip():
        article.quotes = []
        return article
    if article.doc is None or article.doc.text != article.body:
        from .nlp import parse_article

        parse_article(article, options)
    reader = _Reader(article, load_lexicon())
    direct = reader.turn_drafts() + reader.direct_drafts()
    reported = reader.reported_drafts(direct)
    article.quotes = reader.quotes(reader.settle(direct + reported))
    log.debug("%s: %d quotes", article.id, len(article.quotes))
    return article


def whole_quotes(quotes: list[Quote]) -> list[Quote]:
    """The quotes without the paragraphs repeated from a run-on quote (those lying inside another)."""
    return [
        q
        for q in quotes
        if not any(
            o is not q and o.content.start <= q.content.start and q.content.end <= o.content.end
            and o.content != q.content and q.cue is None
            for o in quotes
        )
    ]
