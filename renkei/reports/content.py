"""The report's content as plain values: what every renderer receives.

Nothing here is an ORM object; ``asdict(report)`` is the JSON stored with an issued
report, so the same values can reproduce it.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Narrative:
    """A section the secretariat writes (事業概要, まとめ …)."""

    title: str
    paragraphs: list[str]


@dataclass(frozen=True)
class OverviewRow:
    """One row of an overview table: 項目 / 月日 / 場所."""

    item: str
    dates: str
    place: str


@dataclass(frozen=True)
class OverviewGroup:
    """A numbered item of a programme: a table of dated activities, or a numbered list."""

    label: str
    rows: list[OverviewRow] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ProgrammeOverview:
    """The overview tables of one programme (事業)."""

    name: str
    groups: list[OverviewGroup]


@dataclass(frozen=True)
class ContentBlock:
    """A headed part of an activity's content: ○heading, a lead sentence, ・bullets."""

    heading: str = ""
    lead: str = ""
    bullets: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PhotoItem:
    """A photo with its caption; ``path`` is a file on this server."""

    path: str
    caption: str
    alt: str


@dataclass(frozen=True)
class DetailItem:
    """A numbered item of a detail page (1 テーマ, 2 日時 …)."""

    number: int
    label: str
    lines: list[str] = field(default_factory=list)
    blocks: list[ContentBlock] = field(default_factory=list)
    photos: list[PhotoItem] = field(default_factory=list)


@dataclass(frozen=True)
class ActivityDetail:
    """One activity's detail page."""

    anchor: str
    heading: str
    items: list[DetailItem]


@dataclass(frozen=True)
class SeminarRow:
    """A seminar session: 項目 / 月日 / 場所 / 受講者数."""

    title: str
    dates: str
    place: str
    attendees: str


@dataclass(frozen=True)
class SeminarTable:
    """The sessions of one seminar series."""

    label: str
    note: str
    show_place: bool
    rows: list[SeminarRow]


@dataclass(frozen=True)
class SeminarBlock:
    """The external training page: an overview and one table per seminar series."""

    anchor: str
    heading: str
    overview: list[str]
    tables: list[SeminarTable]


@dataclass(frozen=True)
class DetailPage:
    """A page after the overview: an activity (kind "activity") or the seminars ("seminars")."""

    kind: str
    activity: ActivityDetail | None = None
    seminars: SeminarBlock | None = None


@dataclass(frozen=True)
class MoneyLine:
    """A line of the settlement in integer yen."""

    section: str
    item: str
    budgeted: int | None
    settled: int
    note: str


@dataclass(frozen=True)
class Settlement:
    """収支決算書: income, expenditure, totals and 差引."""

    income: list[MoneyLine]
    expenditure: list[MoneyLine]
    income_total: int
    expenditure_total: int
    income_budgeted: int | None
    expenditure_budgeted: int | None
    show_budget: bool

    @property
    def difference(self) -> int:
        return self.income_total - self.expenditure_total


@dataclass(frozen=True)
class Pillar:
    """One pillar (ひと・もの・こと) of the partnership project and its lines of work."""

    name: str
    lines: list[str]


@dataclass(frozen=True)
class Project:
    """The partnership project page."""

    name: str
    concept: list[str]
    image_lines: list[str]
    pillars: list[Pillar]


# A cell of the participation table: a count, or a word for what is known without one
# (「参加」: took part, number unknown; 「－」: no record; 「不明」: total unknown;
# 「3以上」: 3 counted and more without a count).
Cell = int | str


@dataclass(frozen=True)
class ParticipationRow:
    """A row of the participation table: a cell per member municipality, then the people
    counted for other organisations (the union and the partner included), the part of
    the total no organisation is credited with (内訳不明) and the total (計)."""

    label: str
    members: list[Cell]
    others: Cell
    unattributed: Cell
    total: Cell

    @property
    def cells(self) -> list[Cell]:
        return [*self.members, self.others, self.unattributed, self.total]


@dataclass(frozen=True)
class CostRow:
    """An activity's cost (円), its known participants and the cost per participant;
    「不明」 where the number of participants is unknown."""

    label: str
    cost: int
    participants: Cell
    per_participant: Cell

    @property
    def cells(self) -> list[Cell]:
        return [self.cost, self.participants, self.per_participant]


@dataclass(frozen=True)
class CostTable:
    """The cost of the work (活動別の費用): a row per activity with expenditure allocated
    to it. ``recorded`` is False for a year whose spending is not kept expense by expense
    (FY2024): then there are no rows and ``notes`` say the cost is not recorded."""

    recorded: bool
    columns: list[str]
    rows: list[CostRow]
    notes: list[str]


@dataclass(frozen=True)
class Statistics:
    """Beyond the reference report: charts' values and the participation table.

    ``participation`` has a row per activity with attendance recorded; ``totals`` and
    ``led`` are the table's closing rows, ``columns`` its header and ``legend`` the
    words it uses. The attendance chart shows only known counts: per member
    (``attendance_by_member``) and the known totals' unattributed part
    (``attendance_unattributed``)."""

    members: list[str]
    attendance_by_member: list[int]
    attendance_unattributed: int
    expenditure_by_section: list[tuple[str, int]]
    columns: list[str]
    participation: list[ParticipationRow]
    totals: ParticipationRow
    led: ParticipationRow
    legend: list[str]
    costs: CostTable | None = None


@dataclass(frozen=True)
class ActivityFacts:
    """What the checks before issuing look at, for one activity."""

    label: str
    kind: str
    needs_date: bool
    needs_place: bool
    needs_lecturer: bool
    first_date: str | None
    last_date: str | None
    has_place: bool
    has_lecturer: bool
    # Attendance: the recorded total, and the people credited to named organisations
    # when they are more (one of the figures is wrong); the kinds of member municipality
    # of which more are named than the recorded composition says took part, as (suffix
    # 市/町…, stated, named); whether the report prints the total as unknown.
    attendance_total: int | None
    attendance_counted_over_total: int | None
    composition_exceeded: list[tuple[str, int, int]]
    attendance_total_unknown: bool
    photos_without_caption: int


@dataclass(frozen=True)
class TocEntry:
    """A line of the table of contents."""

    anchor: str
    title: str


@dataclass(frozen=True)
class InquiryPartFacts:
    """One recipient's part of a sent 照会 of the year, for the checks before issuing."""

    inquiry: str
    organisation: str
    status: str  # PartStatus value
    status_label: str  # 未着手, 作成中, 提出済, 差戻し, 承認済


@dataclass(frozen=True)
class ReportData:
    """Everything the annual report shows, for one union and fiscal year."""

    union_name: str
    union_slug: str
    year: int
    year_label: str
    title: str
    period: str
    first_day: str
    last_day: str
    overview: Narrative | None
    programmes: list[ProgrammeOverview]
    pages: list[DetailPage]
    settlement: Settlement
    project: Project | None
    summary: Narrative | None
    statistics: Statistics
    facts: list[ActivityFacts]
    toc: list[TocEntry]
    edition: str = "internal"  # ReportEdition: "public" holds only what is published
    inquiry_parts: list[InquiryPartFacts] = field(default_factory=list)
    # A draft (made from the current records, not issued) carries 「案」 on every page;
    # the issued 確定版 does not. Reports issued before the mark existed were final.
    draft: bool = False
    # Items (「(1)…」) of the year without any activity in this edition: their place in the
    # report would be an empty heading.
    empty_items: list[str] = field(default_factory=list)
