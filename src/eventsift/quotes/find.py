"""Quotes and attribution: who said what, through which channel, with the words behind each value.

Stage ``find_quotes(article, options) -> article`` fills ``article.quotes`` from the body and its
spaCy Doc, after the actors stage has filled ``article.entities``. In order: quote marks (curly,
straight, ASCII; multi-paragraph quotes; transcript turns), the frames that cue direct quotes ("X
said: “...”", "“...,” X said"), reported speech ("X said that ...", "according to X"), then speakers
settled in reading order (statements give way to their authors, accounts to who runs them,
pronouns to the previous speaker or latest fitting mention, cue-less quotes carry on the previous
speaker) and linked to entities. Cues and channels are data (data/speech_cues.yaml,
data/channels.yaml). docs/quotes.md tells the rules in full.

The reading is layered over four modules, each adding to the one before: quotemarks.py (paragraphs,
quote marks, transcript turns), speech_cues.py (the cue lexicon and the cues framing a quote),
speakers.py (who stands behind a cue), and this one (direct quotes and reported speech as drafts,
speakers settled in reading order, the stage itself).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from ..read.truecase import doc_text
from ..records import Article, Entity, Quote, Span, Speaker
from ..settings import Options
from .quotemarks import CLOSING, OPENING, STRAIGHT, QuoteRun, paragraph_bounds, quote_runs
from .speakers import FIRST_PERSON, PERSONAL, SpeakerReader, Who
from .speech_cues import Lexicon, cue_start, load_lexicon

__all__ = ["Lexicon", "QuoteRun", "find_quotes", "load_lexicon", "paragraph_bounds", "quote_runs", "whole_quotes"]

log = logging.getLogger(__name__)

# A clause opening with these is when or why something was said, not what ("said when she resigned").
TIME_CLAUSE = {"when", "before", "after", "while", "because", "since", "until", "as", "once", "whenever"}
# A quote with no cue needs this many words to count as speech (titles and scare quotes are shorter).
MIN_UNCUED_WORDS = 4


# --- reading one article ------------------------------------------------------------------------


@dataclass
class _Draft:
    content: tuple[int, int]
    kind: str
    cue: tuple[int, int] | None = None
    who: Who | None = None
    channel: tuple[str, int, int] | None = None
    continues: bool = False  # no cue: the previous quote's speaker goes on
    pieces: list[tuple[int, int]] = field(default_factory=list)  # later paragraphs of a run-on quote


class _Reader(SpeakerReader):
    """The state of reading one article: its text, parse, quote marks, cues, speakers and mentions."""

    # -- transcripts

    def turn_drafts(self) -> list[_Draft]:
        drafts = []
        for index, (l_start, l_end, colon) in self.turns.items():
            content = self.trimmed(colon + 1, self.paragraphs[index][1], OPENING + CLOSING + STRAIGHT)
            if content[1] > content[0]:
                who = Who(l_start, l_end, self.tok_at(l_start))
                drafts.append(_Draft(content, "direct", (colon, colon + 1), who))
        return drafts

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
            draft.cue, draft.who = (dash.idx, _end(dash)), Who(first.idx, _end(last), last.i)
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
        draft.cue = (cue_start(cue), cue_end)
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
    """Stage: fill ``article.quotes`` (direct quotes, reported speech, their speakers and channels) from
    ``article.doc``, which the nlp stage parsed; ConfigError where it is missing or of another text."""
    if not article.body.strip():
        article.quotes = []
        return article
    if article.doc is None or doc_text(article.doc) != article.body:
        # The nlp stage is the one parser (the runner's check_order says so): never parse again here.
        raise ConfigError(f"stage 'quotes' needs doc, the parse of the body, which article {article.id} lacks: "
                          "parse it first (eventsift.read.nlp.parse_article)")
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
