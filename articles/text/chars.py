"""Character folding: one per-character table behind ``normalize`` and the tokenizer.

Every code point is folded once, ahead of time, by the same recipe (compatibility
decomposition, case folding, removal of combining marks and format characters, Arabic to
Persian letter forms, any decimal digit to ASCII). ``normalize`` applies the result with one
``str.translate``; the tokenizer uses a length-preserving variant of the same table so that
token offsets still point into the original text.
"""

from __future__ import annotations

import re
import sys
import unicodedata

ZWNJ = "\u200c"
# Tatweel doubles as the tokenizer's "invisible but inside the word" marker: it is a word
# character for ``re`` (category Lm), so harakat, bidi marks and the like mapped to it keep a
# word in one piece, and it is then dropped from the token text.
GLUE = "\u0640"

# Folds that Unicode decomposition does not give. Values are final (already folded).
_LETTER_FOLDS: dict[str, str] = {
    "\u064a": "\u06cc",  # ي Arabic yeh
    "\u0649": "\u06cc",  # ى alef maksura
    "\u06cd": "\u06cc",  # ۍ yeh with tail
    "\u06d0": "\u06cc",  # ې e
    "\u0620": "\u06cc",  # ؠ kashmiri yeh
    "\u0643": "\u06a9",  # ك Arabic kaf
    "\u06aa": "\u06a9",  # ڪ swash kaf
    "\u0629": "\u0647",  # ة teh marbuta
    "\u06c3": "\u0647",  # ۃ teh marbuta goal
    "\u06c0": "\u0647",  # ۀ heh with yeh above
    "\u06d5": "\u0647",  # ە ae (what ۀ decomposes to)
    "\u06c1": "\u0647",  # ہ heh goal
    "\u06be": "\u0647",  # ھ heh doachashmee
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0672": "\u0627",
    "\u0673": "\u0627",
    "\u0675": "\u0627",
    "\u0676": "\u0648",
    "\u0677": "\u0648",
    "\u066b": ".",  # ٫ Arabic decimal separator
    "\u066c": ",",  # ٬ Arabic thousands separator
    "\u2019": "'",  # ’ typographic apostrophe
    "\u02bc": "'",  # ʼ modifier letter apostrophe
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u00f8": "o",
    "\u0142": "l",
    "\u0111": "d",
    "\u00f0": "d",
    "\u0127": "h",
    "\u0131": "i",
    "\u00e6": "ae",
    "\u0153": "oe",
    "\u00fe": "th",
    GLUE: "",
    ZWNJ: ZWNJ,
}


def _fold_once(text: str) -> str:
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold()):
        folded = _LETTER_FOLDS.get(ch)
        if folded is not None:
            out.append(folded)
            continue
        category = unicodedata.category(ch)
        if category in ("Mn", "Me", "Cf"):
            continue
        if category == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        elif category == "Cc":
            if ch.isspace():
                out.append(" ")
        elif category in ("Zs", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _fold_piece(ch: str) -> str:
    folded = _LETTER_FOLDS.get(ch)
    return _fold_once(ch) if folded is None else folded


def fold_char(ch: str) -> str:
    """The search form of one character (possibly empty or several characters)."""
    folded = _fold_piece(ch)
    # A fold may produce characters that fold again (e.g. a ligature of accented letters);
    # iterate so that the table is idempotent.
    for _ in range(3):
        again = "".join(_fold_piece(c) for c in folded)
        if again == folded:
            break
        folded = again
    return folded


def _token_value(ch: str, folded: str) -> str:
    """Length-preserving stand-in for ``ch`` in the tokenizer's shadow text."""
    if len(folded) == 1:
        return " " if folded.isspace() else folded
    if folded == "":
        return GLUE  # marks, format and control characters: dropped, never a boundary
    return ch  # several characters: handled by the slow path (see COMPLEX_RE)


class _LazyTable(dict[int, str]):
    """Translation table that folds code points outside the prebuilt range on demand."""

    def __init__(self, data: dict[int, str], *, shadow: bool) -> None:
        super().__init__(data)
        self.shadow = shadow

    def __missing__(self, codepoint: int) -> str:
        ch = chr(codepoint)
        folded = fold_char(ch)
        value = _token_value(ch, folded) if self.shadow else folded
        self[codepoint] = value
        return value


def _build_tables() -> tuple[dict[int, str], dict[int, str], str]:
    norm: dict[int, str] = {}
    shadow: dict[int, str] = {}
    complex_chars: list[str] = []
    category = unicodedata.category
    for codepoint in range(0x10000):
        ch = chr(codepoint)
        if 0xD800 <= codepoint <= 0xDFFF:
            continue
        if (
            ch not in _LETTER_FOLDS
            and unicodedata.normalize("NFKD", ch) == ch
            and ch.casefold() == ch
            and category(ch) not in ("Mn", "Me", "Cf", "Cc", "Nd", "Zs", "Zl", "Zp")
        ):
            continue
        folded = fold_char(ch)
        if folded != ch:
            norm[codepoint] = folded
        value = _token_value(ch, folded)
        if value != ch:
            shadow[codepoint] = value
        elif len(folded) > 1:
            complex_chars.append(ch)
    shadow[ord("_")] = " "
    return norm, shadow, "".join(complex_chars)


_norm, _shadow, _complex = _build_tables()
NORM_TABLE: dict[int, str] = _LazyTable(_norm, shadow=False)
SHADOW_TABLE: dict[int, str] = _LazyTable(_shadow, shadow=True)
# Characters whose fold is several characters (ligatures such as ﻻ, ß, ﷲ) and anything
# outside the Basic Multilingual Plane: tokens containing them take the slow path.
_ASTRAL = "\U00010000-" + chr(sys.maxunicode)
COMPLEX_RE = re.compile("[" + re.escape(_complex) + _ASTRAL + "]")

# ``str.translate`` with a dict costs a lookup per character, which dominates on Persian
# text where nearly every character is outside ASCII yet maps to itself. So the common folds
# are done with ``str.lower`` and a few ``str.replace`` calls (each a fast scan, skipped when
# the character is absent), and the table only runs when a rarer foldable character occurs.
_COMMON = (
    "\u064a\u0649\u0626\u0643\u0629\u06c0\u0623\u0625\u0622\u0624\u0671"  # letters
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"  # Persian digits
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"  # Arabic-Indic digits
    "\u066b\u066c\u2019\u00a0\u202f"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0653\u0654\u0655"  # marks
    "\u200b\u200d\u200e\u200f\u00ad\ufeff"  # invisible format characters
)


class _FastFold:
    """Applies ``table`` to text, fast when only common foldable characters occur."""

    def __init__(self, table: dict[int, str], prebuilt: dict[int, str]) -> None:
        self.table = table
        self.pairs = tuple((ch, table[ord(ch)]) for ch in _COMMON if table[ord(ch)] != ch)
        common = set(_COMMON)
        rare = [
            chr(codepoint)
            for codepoint, value in prebuilt.items()
            if value != chr(codepoint)
            and chr(codepoint) not in common
            and chr(codepoint).lower() == chr(codepoint)
            # Whitespace of any kind only needs to stay whitespace: callers split on it.
            and not (chr(codepoint).isspace() and value.isspace())
        ]
        self.rare_re = re.compile("[" + re.escape("".join(rare)) + _ASTRAL + "]")

    def __call__(self, text: str) -> str:
        if "\u0130" in text:  # İ lowers to two characters
            return text.translate(self.table)
        folded = text.lower()
        for ch, value in self.pairs:
            if ch in folded:
                folded = folded.replace(ch, value)
        if self.rare_re.search(folded):
            folded = folded.translate(self.table)
        return folded


fold_text = _FastFold(NORM_TABLE, _norm)
# Same length as its input: offsets into it are offsets into the original.
shadow_text = _FastFold(SHADOW_TABLE, _shadow)
del _norm, _shadow, _complex

_ZWNJ_RUN_RE = re.compile(ZWNJ + "{2,}")
_ZWNJ_LOOSE_RE = re.compile(rf"(?<!\w){ZWNJ}|{ZWNJ}(?!\w)")
# اجزاء/اجزا, انشاء/انشا: a hamza after a final alef is an optional spelling.
_FINAL_HAMZA_RE = re.compile(r"(?<=\u0627)\u0621(?!\w)")


def normalize(text: str) -> str:
    """Canonical search form of ``text`` (Persian or English); idempotent.

    ZWNJ is kept, once, where it separates two word characters: it marks a morpheme
    boundary that the analyzer uses. Compare spellings that differ only in ZWNJ or spacing
    with ``analyze`` or ``content_hash`` instead.
    """
    folded = fold_text(text)
    if ZWNJ in folded:
        folded = _ZWNJ_LOOSE_RE.sub("", _ZWNJ_RUN_RE.sub(ZWNJ, folded))
    if "\u0621" in folded:
        folded = _FINAL_HAMZA_RE.sub("", folded)
    return " ".join(folded.split())


def is_persian_char(ch: str) -> bool:
    """True for a (folded) Arabic-script letter."""
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\u08a0" <= ch <= "\u08ff"
