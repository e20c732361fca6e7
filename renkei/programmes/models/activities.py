"""An activity and what belongs to it: schedule days and venues, lecturers,
attendance as known (per organisation, members taking part by kind, members' proposed
changes to a closed year), headed content sections and photos."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from renkei import wareki
from renkei.programmes.attendance import attendance_value_text, known_attendance, value_of_count
from renkei.programmes.search import SEARCHED_FIELDS, search_text
from renkei.tenancy.models import Organisation, OrganisationKind
from renkei.tenancy.querysets import RestrictedQuerySet

from .years import ActivityGroup, Pillar

CIRCLED_NUMBERS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


class ActivityKind(models.TextChoices):
    EXCHANGE_TRAINING = "exchange_training", _("交流研修")
    FESTIVAL_BOOTH = "festival_booth", _("イベント出展")
    EXHIBITION = "exhibition", _("展示")
    PR_BROADCAST = "pr_broadcast", _("PR放映")
    INSPECTION_VISIT = "inspection_visit", _("行政視察")
    WORKATION = "workation", _("ワーケーション促進")
    EXTERNAL_SEMINAR = "external_seminar", _("外部研修")
    WORKSHOP = "workshop", _("研修会（主催）")
    OTHER = "other", _("その他")


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", _("対面")
    ONLINE = "online", _("オンライン")
    HYBRID = "hybrid", _("対面及びオンライン")


class Activity(models.Model):
    """One thing done in the year: a training, a booth, a seminar session, an initiative."""

    union_path = "group__programme__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    activity_path = ""  # partner staff see it only with its activity

    group = models.ForeignKey(
        ActivityGroup,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("事業項目"),
    )
    sub_number = models.PositiveSmallIntegerField(
        _("項目内の番号"), default=1, help_text=_("①、② …（項目に1件だけなら表示しません）")
    )
    title = models.CharField(_("名称"), max_length=200)
    heading = models.CharField(
        _("個票の見出し"), max_length=200, blank=True, help_text=_("空欄なら名称")
    )
    theme = models.CharField(_("テーマ"), max_length=200, blank=True)
    kind = models.CharField(_("種別"), max_length=30, choices=ActivityKind.choices)
    pillars = models.ManyToManyField(Pillar, blank=True, verbose_name=_("柱（ひと・もの・こと）"))
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("主催"),
        related_name="organised_activities",
    )
    lead_organisations: models.ManyToManyField[Organisation, "ActivityLead"] = (
        models.ManyToManyField(
            Organisation,
            blank=True,
            verbose_name=_("実施市町"),
            related_name="led_activities",
            through="ActivityLead",
        )
    )
    delivery_mode = models.CharField(
        _("実施形態"), max_length=20, choices=DeliveryMode.choices, default=DeliveryMode.IN_PERSON
    )
    place_summary = models.CharField(
        _("場所（一覧表の表記）"),
        max_length=300,
        blank=True,
        help_text=_("空欄なら会場から作ります。例: 港区芝公園"),
    )
    purpose = models.TextField(_("概要（目的）"), blank=True)
    description = models.TextField(_("内容"), blank=True)
    attendee_total = models.PositiveIntegerField(
        _("出席者数（合計）"),
        null=True,
        blank=True,
        help_text=_(
            "資料にある合計。団体別の人数が分からなくても記録します。団体別の人数が"
            "合計に満たない分は「内訳不明」と表示します。"
        ),
    )
    visitor_count = models.PositiveIntegerField(_("来場者数"), null=True, blank=True)
    visitors_approximate = models.BooleanField(_("来場者数は概数"), default=False)
    is_public = models.BooleanField(
        _("公開する"), default=False, help_text=_("公開するかどうかは事務局が決めます。")
    )
    # Members propose publication; only the secretariat sets is_public (Action.PUBLISH).
    publication_proposed = models.BooleanField(_("公開を提案"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: services compare the version a form was loaded with, then bump it.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The searched columns folded for the portal's search (programmes.search), kept in
    # step by save(): a value derived from this row alone, like a generated column.
    search_text = models.TextField(default="", blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("活動")
        verbose_name_plural = _("活動")
        ordering = ["group__programme__number", "group__number", "sub_number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "sub_number"], name="activity_unique_number"),
            models.CheckConstraint(
                condition=Q(sub_number__gte=1),
                name="activity_number_positive",
                violation_error_message=_("活動の番号は1以上にしてください。"),
            ),
            models.CheckConstraint(
                condition=Q(visitor_count__isnull=False) | Q(visitors_approximate=False),
                name="activity_approximate_needs_count",
                violation_error_message=_("来場者数がないのに概数の印が付いています。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = search_text(self)
        fields = kwargs.get("update_fields")
        if fields is not None and set(fields) & set(SEARCHED_FIELDS):
            kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def display_heading(self) -> str:
        return self.heading or self.title

    @property
    def circled_number(self) -> str:
        return (
            CIRCLED_NUMBERS[self.sub_number - 1]
            if self.sub_number <= 20
            else f"({self.sub_number})"
        )

    @property
    def attendance_total(self) -> int | None:
        """Total attendance as known: the recorded total, else the counts' sum when every
        organisation that took part is counted (``attendance.KnownAttendance.total``)."""
        return known_attendance(self).total

    def leads(self) -> list[Organisation]:
        """The lead municipalities in the order they were entered (the report prints
        「（飯豊町、小国町）」 as entered). Every reader uses this, never
        ``lead_organisations.all()`` (which has no order); it reads a prefetch of
        ``lead_links`` (``prefetch_leads()``) when there is one."""
        links = self.lead_links.all()
        if "lead_links" not in getattr(self, "_prefetched_objects_cache", {}):
            links = links.select_related("organisation")
        return [link.organisation for link in links]

    def participant_ids(self) -> set[int]:
        """Organisations that took part: attendance recorded for them, a lead
        municipality or the organiser, and the bodies above them (港区 took part in what
        its branch 芝地区総合支所 organised). Reads prefetched attendances
        (with their organisation) and lead links when there are any."""
        bodies = [a.organisation for a in self.attendances.all() if a.count != 0]
        bodies += self.leads()
        if self.organiser_id is not None:
            bodies.append(self.organiser)
        return {b.pk for b in bodies} | {b.parent_id for b in bodies if b.parent_id}

    def sections_from_participants(self) -> list["ActivitySection"]:
        """The content sections, less impressions (感想) written for an organisation that
        took no part: what the portal, the API and the report's public edition show."""
        took_part = self.participant_ids()
        return [
            s
            for s in self.sections.all()
            if s.kind != SectionKind.IMPRESSIONS
            or s.organisation_id is None
            or s.organisation_id in took_part
        ]

    @property
    def fiscal_year(self):
        return self.group.programme.fiscal_year

    @property
    def union(self):
        return self.group.programme.fiscal_year.union


class ActivityLead(models.Model):
    """A lead municipality of an activity, in the order it was entered."""

    union_path = "activity__group__programme__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    activity_path = "activity"  # partner staff see it only with its activity

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="lead_links", verbose_name=_("活動")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("実施市町")
    )
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("実施市町")
        verbose_name_plural = _("実施市町")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation"], name="activitylead_unique_organisation"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


def prefetch_leads(lookup: str = "lead_links") -> Prefetch:
    """The prefetch ``Activity.leads()`` reads: the lead links with their organisation,
    in order (one query; ``lookup`` is the path to the links from the queryset's model)."""
    return Prefetch(lookup, queryset=ActivityLead.objects.select_related("organisation"))


class ScheduleDay(models.Model):
    """One day of an activity with its times; venues hang off the day."""

    union_path = "activity__group__programme__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    activity_path = "activity"  # partner staff see it only with its activity

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="days", verbose_name=_("活動")
    )
    date = models.DateField(_("日付"))
    end_date = models.DateField(
        _("終了日"), null=True, blank=True, help_text=_("連続する複数日を1行で記録する場合")
    )
    start_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    end_time = models.TimeField(_("終了時刻"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=100, blank=True, help_text=_("例: 置賜管内視察"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("日程")
        verbose_name_plural = _("日程")
        ordering = ["activity", "date", "start_time"]
        # The public timeline's keyset pages through each activity's first day ordered by
        # (date, activity); without it PostgreSQL sorts every day for each page.
        indexes = [models.Index(fields=["date", "activity"], name="scheduleday_date_activity")]
        constraints = [
            models.UniqueConstraint(fields=["activity", "date"], name="scheduleday_unique_date"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="scheduleday_end_after_start",
                violation_error_message=_("終了日が開始日より前です。"),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gte=F("start_time")),
                name="scheduleday_time_ordered",
                violation_error_message=_("終了時刻が開始時刻より前です。"),
            ),
        ]

    def __str__(self) -> str:
        return wareki.format_date(self.date, weekday=True)

    @property
    def last_date(self):
        return self.end_date or self.date


class Venue(models.Model):
    """A place an activity day happens, with the municipality it lies in."""

    union_path = "day__activity__group__programme__fiscal_year__union"  # (tenancy.permissions)
    activity_path = "day__activity"  # partner staff see it only with its activity

    day = models.ForeignKey(ScheduleDay, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(
        _("会場名"), max_length=200, blank=True, help_text=_("例: 米沢産業会館")
    )
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("所在自治体"),
        related_name="+",
    )
    address = models.CharField(_("住所"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("会場")
        verbose_name_plural = _("会場")
        ordering = ["day", "order"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="") | Q(municipality__isnull=False),
                name="venue_named_or_located",
                violation_error_message=_("会場名か所在自治体のどちらかを入力してください。"),
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.municipality)


class Lecturer(models.Model):
    """A lecturer (講師) of an activity: name, title and organisation."""

    union_path = "activity__group__programme__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    activity_path = "activity"  # partner staff see it only with its activity

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="lecturers")
    name = models.CharField(_("氏名"), max_length=100, help_text=_("姓と名の間は半角空白"))
    title = models.CharField(_("役職"), max_length=100, blank=True)
    organisation_name = models.CharField(_("所属"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("講師")
        verbose_name_plural = _("講師")
        ordering = ["activity", "order"]

    def __str__(self) -> str:
        return f"{self.organisation_name}{self.title} {self.name} 氏"

    def clean(self):
        if not self.name.strip():
            raise ValidationError({"name": _("講師の氏名を入力してください。")})


class AttendanceQuerySet(RestrictedQuerySet):
    def took_part(self) -> "AttendanceQuerySet":
        """Rows that say the organisation took part: a count above 0, or no count."""
        return self.filter(Q(count__isnull=True) | Q(count__gt=0))


class Attendance(models.Model):
    """One organisation's attendance of an activity: how many people, or (``count`` None)
    that it took part, the number not known."""

    union_path = "activity__group__programme__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    activity_path = "activity"  # partner staff see it only with its activity

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("団体"), related_name="attendances"
    )
    count = models.PositiveIntegerField(
        _("人数"), null=True, blank=True, help_text=_("空欄なら参加（人数不明）")
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("出席者数")
        verbose_name_plural = _("出席者数")
        ordering = ["activity", "organisation__code", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation"], name="attendance_unique_organisation"
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0),
                name="attendance_count_nonnegative",
                violation_error_message=_("人数は0以上で入力してください。"),
            ),
        ]

    def __str__(self) -> str:
        if self.count is None:
            return _("%(org)s 参加（人数不明）") % {"org": self.organisation}
        return f"{self.organisation} {self.count}名"

    @property
    def value(self):
        """The row's value (``attendance.AttendanceValue``): its count or TOOK_PART."""
        return value_of_count(self.count)


MUNICIPALITY_KIND_CHOICES = [
    (kind.value, kind.label)
    for kind in (
        OrganisationKind.CITY,
        OrganisationKind.SPECIAL_WARD,
        OrganisationKind.TOWN,
        OrganisationKind.VILLAGE,
    )
]


class AttendanceComposition(models.Model):
    """How many member municipalities of one kind took part, named or not: the source's
    「置賜3市4町」 when it does not say which. Named members' rows fill it in; the ones
    not named stay unknown."""

    union_path = "activity__group__programme__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    activity_path = "activity"  # partner staff see it only with its activity

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="compositions")
    kind = models.CharField(_("種類"), max_length=20, choices=MUNICIPALITY_KIND_CHOICES)
    number = models.PositiveSmallIntegerField(_("団体数"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("出席した構成市町の数")
        verbose_name_plural = _("出席した構成市町の数")
        ordering = ["activity", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "kind"], name="attendance_composition_unique_kind"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="attendance_composition_number_positive",
                violation_error_message=_("団体数は1以上で入力してください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class ProposalState(models.TextChoices):
    PENDING = "pending", _("承認待ち")
    APPROVED = "approved", _("承認済み")
    REJECTED = "rejected", _("却下")


class AttendanceProposal(models.Model):
    """A member's change to its attendance in a closed or reported year, waiting for the
    secretariat: ``removes`` asks to delete the row, else ``count`` (None: took part)."""

    union_path = "activity__group__programme__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    activity_path = "activity"  # partner staff see it only with its activity

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendance_proposals"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("団体")
    )
    count = models.PositiveIntegerField(_("人数"), null=True, blank=True)
    removes = models.BooleanField(_("記録を削除"), default=False)
    reason = models.TextField(_("理由"), blank=True)
    state = models.CharField(
        _("状態"), max_length=20, choices=ProposalState.choices, default=ProposalState.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提案者"),
    )
    proposed_at = models.DateTimeField(_("提案日時"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("判断した人"),
    )
    decided_at = models.DateTimeField(_("判断日時"), null=True, blank=True)
    comment = models.TextField(_("事務局のコメント"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("出席者数の変更の提案")
        verbose_name_plural = _("出席者数の変更の提案")
        ordering = ["proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation"],
                condition=Q(state="pending"),
                name="attendance_proposal_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(removes=False) | Q(count__isnull=True),
                name="attendance_proposal_removes_without_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.value_text}"

    @property
    def value(self):
        """The proposed value as ``attendance.AttendanceValue``."""
        if self.removes:
            return None
        return value_of_count(self.count)

    @property
    def value_text(self) -> str:
        return attendance_value_text(self.value) or str(_("（記録なし）"))


class SectionKind(models.TextChoices):
    SECTION = "section", _("見出しと箇条書き")
    IMPRESSIONS = "impressions", _("参加者の感想")
    SUMMARY = "summary", _("まとめ")


class ActivitySection(models.Model):
    """A headed part of an activity's content: a lead sentence and bullet points."""

    union_path = "activity__group__programme__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    activity_path = "activity"  # partner staff see it only with its activity

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(
        _("種別"), max_length=20, choices=SectionKind.choices, default=SectionKind.SECTION
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記入した団体"),
        help_text=_("構成市町が記入した感想など"),
    )
    heading = models.CharField(_("見出し"), max_length=200, blank=True)
    lead = models.TextField(_("本文"), blank=True)
    bullets = models.TextField(_("箇条書き"), blank=True, help_text=_("1行に1項目"))
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("内容の節")
        verbose_name_plural = _("内容の節")
        ordering = ["activity", "order"]

    def __str__(self) -> str:
        return self.heading or self.get_kind_display()

    @property
    def bullet_list(self) -> list[str]:
        return [line.strip() for line in self.bullets.splitlines() if line.strip()]


def photo_upload_to(photo: "Photo", filename: str) -> str:
    return f"photos/{photo.activity_id}/{filename}"


class Photo(models.Model):
    """A photo of an activity with its caption and alternative text."""

    union_path = "activity__group__programme__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    activity_path = "activity"  # partner staff see it only with its activity

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("画像"), upload_to=photo_upload_to)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登録した団体"),
    )
    caption = models.CharField(_("キャプション"), max_length=200, blank=True)
    alt_text = models.CharField(_("代替テキスト"), max_length=300, blank=True)
    taken_on = models.DateField(_("撮影日"), null=True, blank=True)
    is_public = models.BooleanField(_("公開する"), default=False)
    publication_proposed = models.BooleanField(_("公開を提案"), default=False)
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("写真")
        verbose_name_plural = _("写真")
        ordering = ["activity", "order"]

    def __str__(self) -> str:
        return self.caption or self.image.name
