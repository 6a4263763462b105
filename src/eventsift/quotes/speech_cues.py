"""Speech cues: the words that say someone said something, and where they frame a quote.

:class:`Lexicon` holds the cue verbs, phrases and channels, read by :func:`load_lexicon` from
data/speech_cues.yaml, data/reporting_verbs.yaml (the verbs) and data/channels.yaml. :class:`CueReader`
adds to the quote marks of quotemarks.py the cues of one article: the cue a token starts ("said",
"point out", "according to"), and the cue framing a direct quote from before ("X said: “...”") or
after ("“...,” X said").
Speakers are found from these cues in speakers.py; the quotes stage is quotes.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..datafiles import load_data
from ..read.reporting_verbs import tagged
from ..records import Article
from .quotemarks import MarkedText, QuoteRun

__all__ = ["Channel", "CueReader", "Lexicon", "cue_start", "load_lexicon"]

SENTENCE_END = {".", "!", "?"}
# Words before a cue verb that belong to it: "has said", "did not confirm", "also said".
CUE_LEFT = {"aux", "auxpass", "neg", "advmod"}
# How far (in tokens) a cue may sit from the quote it frames.
FRAME_BEFORE, FRAME_AFTER = 25, 8


# --- lexicon ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Channel:
    """A normalised channel name and the patterns that name it in a quote's frame."""

    name: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Lexicon:
    """Speech cues and channels, read from data/speech_cues.yaml, reporting_verbs.yaml and channels.yaml."""

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
    cues = load_data("speech_cues.yaml", data_dir)
    channels = load_data("channels.yaml", data_dir)
    def verbs(tag: str) -> frozenset[str]:  # data/reporting_verbs.yaml, the one list of reporting verbs
        return frozenset(tagged(tag, data_dir))

    enabled = [(name, c) for name, c in cues["categories"].items() if c.get("enabled", True)]
    framing = {v for name, c in enabled if not c.get("clause_only") for v in verbs(name)}
    clause_only = {v for name, c in enabled if c.get("clause_only") for v in verbs(name)} - framing
    return Lexicon(
        verbs=frozenset(framing | clause_only),
        clause_verbs=frozenset(clause_only),
        object_verbs=verbs("object"),
        infinitive_verbs=verbs("infinitive"),
        naming_verbs=verbs("naming"),
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


# --- cues in one article ------------------------------------------------------------------------


class CueReader(MarkedText):
    """One article's quote marks and speech cues; ``used`` collects the tokens already taken."""

    def __init__(self, article: Article, lexicon: Lexicon) -> None:
        self.lex = lexicon
        super().__init__(article, lexicon.not_speaker_labels)
        self.used: set[int] = set()  # token indices already serving as a cue or inside a speaker
        self.phrase_starts = frozenset(p[0] for p in lexicon.phrases if p)  # cue_end asks per token

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
        lower = token.lower_
        if lower not in self.phrase_starts:
            return None  # asked of every token: most start no phrase
        for phrase in self.lex.phrases:
            if phrase[0] != lower:
                continue
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


def cue_start(verb: Any) -> int:
    """Where a verb cue starts: with its auxiliaries and negation ("did not confirm", "has also said"),
    so that a denial never reads as a statement."""
    start = verb.i
    while start > 0 and verb.doc[start - 1].head.i == verb.i and verb.doc[start - 1].dep_ in CUE_LEFT:
        start -= 1
    return int(verb.doc[start].idx)
