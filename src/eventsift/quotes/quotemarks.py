"""Quote marks in an article body: where its quotes are, before anyone asks who said them.

Paragraphs are separated by blank lines. :func:`quote_runs` finds every double-quoted stretch
(curly, straight and ASCII-fied marks, ``''...''`` and ````...''``), a quote running on across
paragraphs when the next paragraph re-opens it. :class:`MarkedText` holds one article's body,
spaCy Doc, paragraphs, transcript turns ("PENCE: ...") and quote runs, and says where a character
or token sits: which paragraph, which token, inside a quote or not. The quotes stage (quotes.py)
reads on from there: speech cues in speech_cues.py, speakers in speakers.py.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..records import Article

__all__ = ["CLOSING", "OPENING", "STRAIGHT", "MarkedText", "QuoteRun", "paragraph_bounds", "quote_runs"]

OPENING, CLOSING, STRAIGHT = "“„«", "”»", '"'
# Every character where _mark may find a mark (the first of "''" and "``" included).
_MARK_CHAR = re.compile("[" + re.escape(OPENING + CLOSING + STRAIGHT + "'`") + "]")
_LABEL = re.compile(r"[“\"]?\s*([A-Z][A-Z.'’\- ]{0,28}[A-Z.])\s*:\s+")


# --- quote runs ---------------------------------------------------------------------------------


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
            found = _MARK_CHAR.search(body, i, p_end)  # skip the text between marks: _mark reads it as none
            if found is None:
                break
            i = found.start()
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


# --- one article's marks ------------------------------------------------------------------------


class MarkedText:
    """One article's text, parse, paragraphs, transcript turns and quote marks, and positions in them."""

    def __init__(self, article: Article, not_speaker_labels: frozenset[str]) -> None:
        self.body, self.doc = article.body, article.doc
        self.paragraphs = paragraph_bounds(self.body)
        self.para_starts = [s for s, _ in self.paragraphs]
        self.tok_starts: list[int] = self.doc.to_array("IDX").tolist() if len(self.doc) else []
        self.turns = self._turns(not_speaker_labels)
        self.runs = quote_runs(self.body, self.paragraphs, frozenset(self.turns))
        self.marks = [(r.open_at, r.stop) for r in self.runs]
        self.mark_starts = [a for a, _ in self.marks]

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

    def _turns(self, not_speaker_labels: frozenset[str]) -> dict[int, tuple[int, int, int]]:
        """Paragraphs that open with a speaker label ("PENCE: ..."): index -> (label start, end, colon)."""
        found: dict[int, tuple[int, int, int]] = {}
        for index, (start, end) in enumerate(self.paragraphs):
            match = _LABEL.match(self.body, start, end)
            if not match or len(match.group(1).split()) > 3:
                continue
            label = match.group(1).strip(" .")
            if label in not_speaker_labels or not any(c.isalpha() for c in label):
                continue
            colon = self.body.index(":", match.end(1))
            found[index] = (match.start(1), match.start(1) + len(match.group(1).rstrip(" ")), colon)
        return found if len(found) >= 2 else {}  # one label alone is a heading, not a transcript
