"""The query tokeniser: turns anything a person types into a list of tokens, never failing.

It only recognises the syntax (quotes, brackets, operators, `field:`, `+`/`-`, a trailing `*`,
`~N` after a phrase); what the words mean is decided by the analysis in `query.py`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_QUERY_CHARS = 500
MAX_TERMS = 50

WORD = "word"
PHRASE = "phrase"
LPAREN = "("
RPAREN = ")"
AND = "AND"
OR = "OR"
NOT = "NOT"
PLUS = "+"
MINUS = "-"

OPERATORS = {"AND": AND, "OR": OR, "NOT": NOT, "&&": AND, "||": OR}
_FIELD = re.compile(r"^([A-Za-z_]{1,20}):(.*)$", re.S)
_SLOP = re.compile(r"~(\d{1,4})")
# Bidirectional embedding/override/isolate controls and the BOM carry no meaning in a query
# (ZWNJ and ZWJ do: they join Persian words, so they stay).
_INVISIBLE = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF, 0x200E, 0x200F], " "
)
_BREAKS = set(' \t\n\r\f\v()"\u3000\u00a0')


@dataclass
class Token:
    kind: str
    text: str = ""  # the word or the phrase's inside, as typed
    field: str = ""  # "title" for `title:word`, "" for none
    prefix: bool = False  # a trailing `*`
    slop: int | None = None  # `"a b"~5`


def clean_query(raw: object, messages: list[str]) -> str:
    """Drop control characters, cap the length; the message says what was changed."""
    text = "" if raw is None else str(raw)
    if len(text) > 20 * MAX_QUERY_CHARS:
        text = text[: 20 * MAX_QUERY_CHARS]
    text = text.translate(_INVISIBLE)
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") else ch for ch in text
    )
    if cleaned != text and cleaned.strip() != text.strip():
        messages.append(_("Invisible control characters in the query were ignored."))
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > MAX_QUERY_CHARS:
        cut = cleaned[:MAX_QUERY_CHARS]
        if " " in cut[MAX_QUERY_CHARS // 2 :]:
            cut = cut[: cut.rindex(" ")]
        messages.append(
            _("The query was longer than %(limit)d characters; only its beginning was searched.")
            % {"limit": MAX_QUERY_CHARS}
        )
        cleaned = cut
    return cleaned


def tokenize_query(text: str, messages: list[str]) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(Token(LPAREN if ch == "(" else RPAREN))
            i += 1
        elif ch == '"':
            i = _read_phrase(text, i, tokens, messages, field="")
        elif ch in "+-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "+-)":
            tokens.append(Token(PLUS if ch == "+" else MINUS))
            i += 1
        else:
            j = i
            while j < n and text[j] not in _BREAKS:
                j += 1
            word = text[i:j]
            i = j
            if word in OPERATORS:
                tokens.append(Token(OPERATORS[word]))
                continue
            match = _FIELD.match(word)
            if match and match.group(1):
                field, value = match.group(1).lower(), match.group(2)
                if not value and i < n and text[i] == '"':
                    i = _read_phrase(text, i, tokens, messages, field=field)
                    continue
                if not value:
                    messages.append(
                        _("“%(field)s:” needs a word after it; it was ignored.") % {"field": field}
                    )
                    continue
                tokens.append(_word_token(value, field))
                continue
            if not word.strip("*"):
                messages.append(_("A “*” needs letters before it (like presid*); it was ignored."))
            elif word.strip("+-"):
                tokens.append(_word_token(word, ""))
    return tokens


def _word_token(word: str, field: str) -> Token:
    prefix = word.endswith("*") and len(word.rstrip("*")) > 0
    return Token(WORD, text=word.rstrip("*") if prefix else word, field=field, prefix=prefix)


def _read_phrase(
    text: str, start: int, tokens: list[Token], messages: list[str], *, field: str
) -> int:
    end = text.find('"', start + 1)
    if end < 0:
        inside = text[start + 1 :]
        if inside.strip():
            messages.append(
                _(
                    "A closing quote was missing; "
                    "the words after the quote were searched as a phrase."
                )
            )
            tokens.append(Token(PHRASE, text=inside, field=field))
        else:
            messages.append(_("A lone quotation mark was ignored."))
        return len(text)
    inside = text[start + 1 : end]
    position = end + 1
    slop = None
    match = _SLOP.match(text, position)
    if match:
        slop = min(int(match.group(1)), 50)
        position = match.end()
    if inside.strip():
        tokens.append(Token(PHRASE, text=inside, field=field, slop=slop))
    else:
        messages.append(_("Empty quotation marks were ignored."))
    return position
