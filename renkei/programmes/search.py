"""Text search over activities, the same on SQLite and PostgreSQL: Japanese is matched
after folding what a reader does not tell apart — full-width and half-width forms
(NFKC: 「ＤＸ」「DX」, 「ｹﾝｼｭｳ」「ケンシュウ」), upper and lower case, katakana and
hiragana (「けんしゅう」「ケンシュウ」) — on both sides: the query, and each activity's
``search_text``, which holds its searched columns folded alike (set whenever the row is
saved, ``Activity.save``).

A substring match (``LIKE '%…%'``) reads every public activity of the union; that is
fine at a union's scale (hundreds a year). A trigram index would be the next step on
PostgreSQL at a million rows.
"""

import unicodedata

SEARCHED_FIELDS = ("title", "heading", "theme", "place_summary", "purpose", "description")
MAX_QUERY_LENGTH = 100
MAX_TERMS = 5
# Katakana ァ (U+30A1) … ヶ (U+30F6) → hiragana ぁ (U+3041) … ゖ (U+3096).
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def normalise(text: str) -> str:
    """``text`` as it is searched: NFKC, case-folded, katakana as hiragana, runs of
    white space as one space."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_KATAKANA_TO_HIRAGANA)
    return " ".join(folded.split())


def search_text(activity) -> str:
    """What an activity is found by: its searched columns, normalised."""
    return normalise(" ".join(getattr(activity, name) or "" for name in SEARCHED_FIELDS))


def query_terms(query: str) -> list[str]:
    """The normalised words of a query, each of which a match must contain."""
    return normalise(query).split()
