"""The appendix's participation table: column widths the PDF and the Word file share."""

# The participation table (8.5pt) in the PDF's text width (A4 less 18mm margins): a value
# column holds a three-character name on one line within 3pt padding either side (3.8em),
# 「内訳不明」 5em, the total (「1,234以上」) 4.4em; the activity column has the rest.
PARTICIPATION_EM = 8.5
PARTICIPATION_TEXT_WIDTH = 174 / 25.4 * 72
PARTICIPATION_VALUES_SHARE = 0.76  # at most, however many members a union has


def participation_widths(values: int) -> list[float]:
    """The value columns' widths as shares of the text width (members, その他の団体,
    内訳不明, 計), narrowed together when a union's members would take more than 76%."""
    wanted = [3.8] * (values - 2) + [5.0, 4.4]
    shares = [em * PARTICIPATION_EM / PARTICIPATION_TEXT_WIDTH for em in wanted]
    scale = min(1.0, PARTICIPATION_VALUES_SHARE / sum(shares))
    return [share * scale for share in shares]
