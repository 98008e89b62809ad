"""Learn Persian compounds (and ه-final words) from the archive's own text.

    python -m bench.compounds_learn [--write]

A compound is a pair of words written apart (a space or a ZWNJ) that the same text also
writes joined: احمدی نژاد / احمدی‌نژاد / احمدینژاد, and with a middle و: گفت و گو / گفتگو.
Counted over every Persian article of the corpus (title and body); kept when the pair is
written apart at least MIN_APART times and joined at least MIN_JOINED times, neither part is
a common word, an affix or shorter than two letters, the second is not a light verb
(قرار گرفت), and the pair is not in `fa_compounds_rejected.txt` (judged wrong by hand).
ه-final words (`fa_heh_words.txt`) are the words W seen with the indefinite ای (W‌ای, W ای)
whose stem without ه is rare alone, so that a joined Wای is W + ای, not a plural in های.

With `--write` the lists go to articles/text/lexicon/ (the analysis reads them at import:
rebuild the index afterwards). Prints the counts and a seeded sample for judging precision.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter

from bench.common import ROOT, load_corpus, require_corpus

LEXICON = ROOT / "articles" / "text" / "lexicon"
MIN_APART = 3
MIN_JOINED = 3
# Verbs that make a phrase with the word before them (قرار گرفت "was placed"): written joined
# they are another word (قرارداد "contract") or a typo, not one spelling of a compound.
LIGHT_VERBS = frozenset(
    """
    گرفت گرفته گرفتند گرفتن گیرد گیرند داد داده دادند دادن دهد دهند زد زده زدند زدن زند
    کرد کرده کردند کردن کند کنند نمود نموده نمودند یافت یافته یافتند یابد خورد خورده
    امد امده امدند اید ایند رفت رفته رفتند رود شد شده شدند شود شوند ساخت ساخته کشید کشیده
    """.split()
)
HEH_MIN = 5
ZWNJ = "\u200c"
AND = "و"
_GAP = re.compile(r"[ \u00a0\u202f]+")


def _plain_words(text: str):
    """(word, start, end) of normalised words, a ZWNJ compound as one word with its ZWNJ."""
    from articles.text import tokenize

    for token in tokenize(text):
        yield token.text, token.start, token.end


def learn(docs) -> tuple[list[tuple[str, ...]], list[str], dict]:
    from articles.text.persian import (
        FA_PREFIXES,
        FA_SPACE_SUFFIXES,
        FA_SPACE_SUFFIXES_AFTER_HEH,
        FA_STOPWORDS,
        FA_ZWNJ_SUFFIXES,
    )

    affixes = FA_PREFIXES | FA_SPACE_SUFFIXES | FA_SPACE_SUFFIXES_AFTER_HEH | FA_ZWNJ_SUFFIXES
    rejected = {
        line.split("#", 1)[0].strip()
        for line in (LEXICON / "fa_compounds_rejected.txt").read_text("utf-8").splitlines()
    }
    single: Counter[str] = Counter()
    apart: Counter[tuple[str, str]] = Counter()
    with_and: Counter[tuple[str, str]] = Counter()
    heh_ay: Counter[str] = Counter()
    for doc in docs:
        text = doc.text
        words = list(_plain_words(text))
        for index, (word, start, _end) in enumerate(words):
            if ZWNJ in word:
                parts = word.split(ZWNJ)
                if len(parts) == 2:
                    apart[(parts[0], parts[1])] += 1
                    if parts[1] == "ای" and parts[0].endswith("ه"):
                        heh_ay[parts[0]] += 1
                    if parts[1].startswith(AND) and len(parts[1]) > 2:
                        with_and[(parts[0], parts[1][1:])] += 1
                elif len(parts) == 3 and parts[1] == AND:
                    with_and[(parts[0], parts[2])] += 1
                continue
            single[word] += 1
            if index == 0:
                continue
            before, before_start, before_end = words[index - 1]
            if ZWNJ in before or not _GAP.fullmatch(text, before_end, start):
                continue
            apart[(before, word)] += 1
            if word == "ای" and before.endswith("ه"):
                heh_ay[before] += 1
            if index > 1 and before == AND:
                first, _s, first_end = words[index - 2]
                if ZWNJ not in first and _GAP.fullmatch(text, first_end, before_start):
                    with_and[(first, word)] += 1

    def usable(first: str, second: str) -> bool:
        return (
            len(first) >= 2
            and len(second) >= 2
            and "\u0600" <= first[0] <= "\u06ff"
            and "\u0600" <= second[0] <= "\u06ff"
            and not (first.isdigit() or second.isdigit())
            and first not in FA_STOPWORDS
            and second not in FA_STOPWORDS
            and first not in affixes
            and second not in affixes
            and second not in LIGHT_VERBS
            and "+".join((first, second)) not in rejected
        )

    found: list[tuple[str, ...]] = []
    for (first, second), count in apart.items():
        if count >= MIN_APART and single[first + second] >= MIN_JOINED and usable(first, second):
            found.append((first, second))
    for (first, second), count in with_and.items():
        joined = single[first + second] + single[first + AND + second]
        if count >= MIN_APART and joined >= MIN_JOINED and usable(first, second):
            found.append((first, AND, second))
    heh = sorted(
        word
        for word, count in heh_ay.items()
        if single[word] >= HEH_MIN
        and single[word[:-1]] + single[word[:-1] + "ها"] <= single[word] // 5
        and word not in FA_STOPWORDS
    )
    counts = {"apart": apart, "with_and": with_and, "single": single}
    return sorted(set(found)), heh, counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write the lists to the lexicon")
    parser.add_argument("--sample", type=int, default=60)
    args = parser.parse_args(argv)
    require_corpus()
    docs = load_corpus("fa_")
    compounds, heh, counts = learn(docs)
    print(f"{len(docs)} Persian articles: {len(compounds)} compounds, {len(heh)} ه-final words")
    if args.write:
        lines = [
            "# Learned by `python -m bench.compounds_learn --write` from the corpus's Persian",
            "# articles: pairs written apart (space or ZWNJ) and joined. Columns: compound,",
            "# times written apart, times joined. Size and precision: bench/README.md.",
        ]
        for parts in compounds:
            first, second = parts[0], parts[-1]
            if len(parts) == 3:
                apart = counts["with_and"][(first, second)]
                joined = counts["single"][first + second] + counts["single"][first + AND + second]
            else:
                apart = counts["apart"][(first, second)]
                joined = counts["single"][first + second]
            lines.append(f"{'+'.join(parts)}\t{apart}\t{joined}")
        (LEXICON / "fa_compounds_learned.txt").write_text("\n".join(lines) + "\n", "utf-8")
        heh_lines = ["# ه-final words whose joined ای is not a plural (bench.compounds_learn)."]
        (LEXICON / "fa_heh_words.txt").write_text("\n".join(heh_lines + heh) + "\n", "utf-8")
    rng = random.Random(11)
    print("\nsample for judging (seed 11):")
    for parts in rng.sample(compounds, min(args.sample, len(compounds))):
        print("+".join(parts))


if __name__ == "__main__":
    main()
