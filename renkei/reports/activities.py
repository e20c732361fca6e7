"""One activity's detail page and the facts the checks look at."""

from django.utils.translation import gettext as _

from renkei.programmes.attendance import KIND_SUFFIXES
from renkei.programmes.models import ActivityKind, GroupKind

from . import formatting as fmt
from .content import ActivityDetail, ActivityFacts, ContentBlock, DetailItem, PhotoItem

# Kinds that have a lecturer (講師) and so are checked for one.
LECTURED_KINDS = {ActivityKind.WORKSHOP, ActivityKind.EXCHANGE_TRAINING}


def attendance_text(activity, ctx, *, short: bool = False) -> str:
    """The 出席者 phrase (「置賜3市4町、港区… 22名」; "" when nothing is recorded); the
    short form (a seminar table's 受講者数) is the total alone, 「2名」, or 「不明」."""
    known = ctx.attendance(activity)
    if short:
        return _("不明") if known.total is None else f"{known.total:,}名"
    return known.phrase(ctx.region)


def _content_blocks(activity, ctx) -> list[ContentBlock]:
    blocks = [
        ContentBlock(lead=fmt.clean_text(p))
        for p in activity.description.split("\n\n")
        if p.strip()
    ]
    for section in ctx.sections(activity):
        blocks.append(
            ContentBlock(
                heading=fmt.clean_text(section.heading),
                lead=fmt.clean_text(section.lead),
                bullets=[fmt.clean_text(b) for b in section.bullet_list],
            )
        )
    return blocks


def _photos(activity) -> list[PhotoItem]:
    return [
        PhotoItem(
            path=photo.image.name,
            caption=fmt.clean_text(photo.caption),
            alt=fmt.clean_text(photo.alt_text or photo.caption),
        )
        for photo in activity.photos.all()
        if photo.image
    ]


def _visitors(activity) -> str:
    if activity.visitor_count is None:
        return ""
    count = f"{activity.visitor_count:,}人"
    return f"約{count}" if activity.visitors_approximate else count


def has_detail_page(activity, ctx) -> bool:
    """An activity gets a page when there is something to say beyond its name."""
    return bool(
        activity.days.all()
        or activity.description.strip()
        or activity.purpose.strip()
        or ctx.sections(activity)
        or activity.photos.all()
        or activity.lecturers.all()
    )


def activity_detail(activity, ctx, *, anchor: str) -> ActivityDetail | None:
    """The numbered items of an activity's page, only those it has (None: no page).

    The full form (an activity with a theme or headed content) reads テーマ, 日時, 場所,
    講師, 出席者, 内容, 写真; the short form puts the purpose (概要) or, lacking it, the
    content (内容) first and writes 月日, as the FY2024 report does.
    """
    if not has_detail_page(activity, ctx):
        return None
    days = list(activity.days.all())
    full = bool(activity.theme.strip() or ctx.sections(activity))
    blocks = _content_blocks(activity, ctx)
    items: list[tuple[str, dict]] = []
    if activity.theme.strip():
        items.append((_("テーマ"), {"lines": [fmt.clean_text(activity.theme)]}))
    content_first = not full and not activity.purpose.strip() and blocks
    if activity.purpose.strip():
        items.append((_("概要"), {"lines": [fmt.clean_text(activity.purpose)]}))
    elif content_first:
        items.append((_("内容"), {"blocks": blocks}))
    if days:
        items.append((_("日時") if full else _("月日"), {"lines": fmt.schedule_lines(days)}))
    place = fmt.place_lines(days, activity.delivery_mode, ctx.home_prefecture)
    if place:
        items.append((_("場所"), {"lines": place}))
    lecturers = [fmt.lecturer_text(x) for x in activity.lecturers.all()]
    if lecturers:
        items.append((_("講師"), {"lines": lecturers}))
    if attendance := attendance_text(activity, ctx):
        items.append((_("出席者"), {"lines": [attendance]}))
    if visitors := _visitors(activity):
        items.append((_("来場者"), {"lines": [visitors]}))
    if blocks and not content_first:
        items.append((_("内容"), {"blocks": blocks}))
    if photos := _photos(activity):
        items.append((_("写真"), {"photos": photos}))
    return ActivityDetail(
        anchor=anchor,
        heading=fmt.clean_text(activity.display_heading),
        items=[
            DetailItem(number=n, label=label, **parts)
            for n, (label, parts) in enumerate(items, start=1)
        ],
    )


def _composition_exceeded(known) -> list[tuple[str, int, int]]:
    """(suffix, stated, named) for each kind of member municipality of which more are
    named as taking part than the recorded composition says."""
    if not known.composition_exceeded:
        return []
    named = known.named_members_by_kind()
    suffixes = dict(KIND_SUFFIXES)
    return [
        (suffixes[kind], stated, named[kind])
        for kind, stated in known.composition
        if named.get(kind, 0) > stated
    ]


def activity_facts(activity, ctx) -> ActivityFacts:
    """The facts checked before issuing.

    Member-led initiatives (activities with lead municipalities, the ①–⑦ list) are
    listed by name without dates or places in the report, as FY2024's is; dates and
    places are required of every other activity (places unless it is online only).
    """
    days = list(activity.days.all())
    member_led = bool(activity.leads())
    known = ctx.attendance(activity)
    return ActivityFacts(
        label=fmt.clean_text(f"{activity.group.number}-{activity.sub_number} {activity.title}"),
        kind=activity.kind,
        needs_date=not member_led,
        needs_place=not member_led and activity.delivery_mode != "online",
        needs_lecturer=activity.kind in LECTURED_KINDS,
        first_date=min(d.date for d in days).isoformat() if days else None,
        last_date=max(d.end_date or d.date for d in days).isoformat() if days else None,
        has_place=bool(activity.place_summary.strip() or any(d.venues.all() for d in days)),
        has_lecturer=bool(activity.lecturers.all()),
        attendance_total=known.recorded_total,
        attendance_counted_over_total=known.counted if known.exceeds_total else None,
        composition_exceeded=_composition_exceeded(known),
        attendance_total_unknown=known.total is None
        and (known.is_recorded or activity.group.kind == GroupKind.SEMINAR_SERIES),
        photos_without_caption=sum(1 for p in activity.photos.all() if not p.caption.strip()),
    )


__all__ = ["activity_detail", "activity_facts", "attendance_text"]
