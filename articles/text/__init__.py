"""Persian/English text analysis shared by ingest, search, highlighting and entity tagging.

``normalize`` gives the canonical search form; ``tokenize`` finds words with offsets into
the original text; ``analyze`` turns text (documents and queries alike) into index terms.
"""

from articles.text.analysis import analyze, analyze_tokens, detect_language, join_affixes
from articles.text.chars import normalize
from articles.text.english import EN_STOPWORDS, stem_en
from articles.text.fingerprint import content_hash, shingles
from articles.text.persian import FA_STOPWORDS, stem_fa
from articles.text.tokens import Token, tokenize

__all__ = [
    "EN_STOPWORDS",
    "FA_STOPWORDS",
    "Token",
    "analyze",
    "analyze_tokens",
    "content_hash",
    "detect_language",
    "join_affixes",
    "normalize",
    "shingles",
    "stem_en",
    "stem_fa",
    "tokenize",
]
