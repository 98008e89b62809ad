"""Top terms of a result set: the words and two-word phrases over-represented in the matching
articles compared with the whole archive.

Each article of the set (or of a seeded random sample of `SAMPLE_SIZE`, when larger) is read
from the index's stored text, its first `MAX_CHARS` characters analysed with the archive's own
analysis (`articles.text.analysis`: Persian and English stopwords removed, spellings folded,
words stemmed), and each index term counted once per article. The background of a word is its
document frequency in the index itself; two-word phrases (adjacent words, no stopword between)
have no index of their own, so their background is a seeded sample of `BACKGROUND_SIZE`
articles of the archive, analysed once and kept until the archive grows by a tenth.

The score is Dunning's log-likelihood ratio (G²) of "in the set" against "in the archive",
kept only for terms more frequent in the set than in the archive. A term is shown in the form
most often written in the set (`طالبان`, `Taliban`), not as its stem. The query's own words are
left out: they are over-represented by construction.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from articles.search.engine import match_search
from articles.search.types import SearchParams
from articles.text.analysis import analyze, analyze_tokens

SAMPLE_SIZE = 120
BACKGROUND_SIZE = 1000
MAX_CHARS = 1200
MIN_ARTICLES = 2  # a term must occur in at least this many articles of the set
SEED = 13
_BREAK = re.compile(r"[.!?;:,،؛؟\n]")  # a phrase does not run across punctuation
_background: dict[str, tuple[int, int, Counter[str]]] = {}
_analysed: dict[tuple, tuple[frozenset[str], frozenset[str], dict[str, str]]] = {}


@dataclass
class TopTerm:
    term: str  # the form most often written in the set
    key: str  # the index term (or "term term" for a phrase)
    kind: str  # "word" | "phrase"
    articles: int  # articles of the set (or sample) holding it
    background: int  # articles of the archive holding it (estimated for phrases)
    score: float
    language: str  # "fa" | "en" | ""


@dataclass
class TopTerms:
    count: int  # matching articles
    sample: int  # articles read
    archive: int  # articles in the archive
    terms: list[TopTerm] = field(default_factory=list)
    phrases: list[TopTerm] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)  # the query's own terms

    @property
    def sampled(self) -> bool:
        return self.sample < self.count


def log_likelihood(a: int, n1: int, c: int, n2: int) -> float:
    """G² of a term in `a` of `n1` documents of the set against `c` of `n2` of the background;
    positive only when the set holds it more often (else 0)."""
    if n1 <= 0 or n2 <= 0 or a * n2 <= c * n1:
        return 0.0
    total = a + c
    e1 = n1 * total / (n1 + n2)
    e2 = n2 * total / (n1 + n2)
    g2 = a * math.log(a / e1) if a else 0.0
    g2 += c * math.log(c / e2) if c else 0.0
    b, d = n1 - a, n2 - c
    rest = b + d
    e3, e4 = n1 * rest / (n1 + n2), n2 * rest / (n1 + n2)
    g2 += b * math.log(b / e3) if b else 0.0
    g2 += d * math.log(d / e4) if d else 0.0
    return 2.0 * g2


def _language(text: str) -> str:
    last = text[-1:]
    return "fa" if "\u0600" <= last <= "\u08ff" else "en" if last.isascii() else ""


def _analyse(text: str) -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """(terms, adjacent pairs, {term: a written form}) of the start of one article."""
    text = text[:MAX_CHARS]
    words: set[str] = set()
    pairs: set[str] = set()
    forms: dict[str, str] = {}
    previous = None
    for token in analyze_tokens(text, query=True):
        value = token.text
        if len(value) < 2 or value.isdigit():
            previous = None
            continue
        words.add(value)
        forms.setdefault(value, text[token.start : token.end])
        if (
            previous is not None
            and previous[1] == token.position - 1
            and not _BREAK.search(text, previous[3], token.start)
        ):
            pairs.add(f"{previous[0]} {value}")
            forms.setdefault(f"{previous[0]} {value}", f"{previous[2]} {forms[value]}")
        previous = (value, token.position, forms[value], token.end)
    return frozenset(words), frozenset(pairs), forms


def _analysed_doc(searcher, docnum: int, key: tuple):
    found = _analysed.get(key)
    if found is None:
        found = _analyse(searcher.stored_fields(docnum).get("text") or "")
        if len(_analysed) > 20_000:
            _analysed.clear()
        _analysed[key] = found
    return found


def _sample(docnums: np.ndarray, size: int) -> np.ndarray:
    if len(docnums) <= size:
        return docnums
    return np.sort(np.random.default_rng(SEED).choice(docnums, size, replace=False))


def _phrase_background(backend, columns, searcher) -> tuple[int, Counter[str]]:
    """(articles read, {phrase: articles}) over a seeded sample of the whole archive."""
    live = np.flatnonzero(columns.live)
    key = columns.index_key
    cached = _background.get(key)
    if cached is not None and abs(cached[0] - len(live)) <= len(live) // 10:
        return cached[1], cached[2]
    counts: Counter[str] = Counter()
    sample = _sample(live, BACKGROUND_SIZE)
    for docnum in sample.tolist():
        counts.update(_analysed_doc(searcher, docnum, (key, "bg", docnum))[1])
    _background[key] = (len(live), len(sample), counts)
    return len(sample), counts


def top_terms(
    params: SearchParams, *, limit: int = 40, sample_size: int = SAMPLE_SIZE, matches=None
) -> TopTerms:
    matches = matches or match_search(params)
    backend, columns = matches.backend, matches.columns
    excluded = set(matches.plan.parsed.highlight_terms)
    for word in matches.plan.parsed.words:
        excluded.update(analyze(word, query=True))
    with backend.searcher() as searcher:
        reader = searcher.reader()
        archive = int(columns.live.sum())
        sample = _sample(matches.docnums, sample_size)
        words: Counter[str] = Counter()
        pairs: Counter[str] = Counter()
        forms: list[dict[str, str]] = []  # each article's written form of each term
        for docnum in sample.tolist():
            doc_words, doc_pairs, doc_forms = _analysed_doc(
                searcher, docnum, (columns.index_key, columns._generation, docnum)
            )
            words.update(doc_words)
            pairs.update(doc_pairs)
            forms.append(doc_forms)
        n = len(sample)
        result = TopTerms(count=len(matches.docnums), sample=n, archive=archive)
        result.excluded = sorted(excluded)
        scored = []
        for value, a in words.items():
            if a < MIN_ARTICLES or value in excluded:
                continue
            c = reader.doc_frequency("text", value)
            score = log_likelihood(a, n, max(c - a, 0), max(archive - n, 1))
            if score > 0:
                scored.append(_top(value, "word", a, c, score))
        result.terms = _written(sorted(scored, key=lambda t: (-t.score, t.key))[:limit], forms)
        if n:
            background_n, background = _phrase_background(backend, columns, searcher)
            scored = []
            for value, a in pairs.items():
                if a < MIN_ARTICLES or set(value.split(" ")) <= excluded:
                    continue
                c = background.get(value, 0)
                score = log_likelihood(a, n, c, background_n)
                if score > 0:
                    estimate = round(c * archive / max(background_n, 1))
                    scored.append(_top(value, "phrase", a, estimate, score))
            result.phrases = _written(
                sorted(scored, key=lambda t: (-t.score, t.key))[:limit], forms
            )
    return result


def _top(value: str, kind: str, a: int, c: int, score: float) -> TopTerm:
    return TopTerm(value, value, kind, a, c, round(score, 2), _language(value))


def _written(top: list[TopTerm], forms: list[dict[str, str]]) -> list[TopTerm]:
    """Each shown term in the form most often written in the set (counted for these only)."""
    for item in top:
        seen = Counter(doc[item.key] for doc in forms if item.key in doc)
        if seen:
            item.term = seen.most_common(1)[0][0]
    return top


def terms_json(result: TopTerms) -> dict:
    def rows(items: list[TopTerm]) -> list[dict]:
        return [
            {"term": t.term, "key": t.key, "articles": t.articles, "background": t.background,
             "score": t.score, "language": t.language}
            for t in items
        ]  # fmt: skip

    return {
        "count": result.count,
        "sample": result.sample,
        "sampled": result.sampled,
        "archive": result.archive,
        "chars_per_article": MAX_CHARS,
        "phrase_background_sample": BACKGROUND_SIZE,
        "excluded": result.excluded,
        "terms": rows(result.terms),
        "phrases": rows(result.phrases),
    }
