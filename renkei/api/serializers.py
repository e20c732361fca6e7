"""Serializers of the API: activities as the portal and staff screens show them, query
filters (validated, with Japanese messages) and the attendance write."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from renkei.programmes.attendance import TOOK_PART, known_attendance
from renkei.programmes.models import ActivityKind
from renkei.programmes.public import span

# The largest id a database row can have (64-bit): a larger number is refused as input
# instead of overflowing the database driver.
MAX_ID = 2**63 - 1


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField()


class ErrorSerializer(serializers.Serializer):
    """Every error: ``{"error": {"code", "message", "details"}}``."""

    error = ErrorBodySerializer()


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField(allow_null=True)


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    start_time = serializers.SerializerMethodField(help_text="hh:mm")
    end_time = serializers.SerializerMethodField(help_text="hh:mm")
    note = serializers.CharField()
    venues = serializers.SerializerMethodField()

    def get_start_time(self, day) -> str | None:
        return day.start_time.strftime("%H:%M") if day.start_time else None

    def get_end_time(self, day) -> str | None:
        return day.end_time.strftime("%H:%M") if day.end_time else None

    def get_venues(self, day) -> list[str]:
        return [v.name or str(v.municipality) for v in day.venues.all()]


class ActivitySerializer(serializers.Serializer):
    """An activity in a list: what the portal's timeline shows."""

    id = serializers.IntegerField()
    title = serializers.CharField(source="display_heading")
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    fiscal_year = serializers.IntegerField(source="group.programme.fiscal_year.year")
    is_public = serializers.BooleanField()
    start_date = serializers.SerializerMethodField()
    end_date = serializers.SerializerMethodField()
    pillars = serializers.SerializerMethodField()
    organiser = OrganisationSerializer(allow_null=True)
    lead_municipalities = OrganisationSerializer(source="leads", many=True)
    days = DaySerializer(many=True)
    portal_url = serializers.SerializerMethodField()

    def get_start_date(self, activity) -> str | None:
        first = span(activity)[0]
        return first.isoformat() if first else None

    def get_end_date(self, activity) -> str | None:
        last = span(activity)[1]
        return last.isoformat() if last else None

    def get_pillars(self, activity) -> list[str]:
        return [p.key for p in activity.pillars.all()]

    def get_portal_url(self, activity) -> str | None:
        if not activity.is_public:
            return None
        request = self.context.get("request")
        url = reverse("portal:activity_detail", args=[activity.pk])
        return request.build_absolute_uri(url) if request else url


class LecturerSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    organisation_name = serializers.CharField()


class AttendanceSerializer(serializers.Serializer):
    organisation = OrganisationSerializer()
    count = serializers.IntegerField(
        allow_null=True, help_text=_("人数（null: 参加したが人数は不明）")
    )


class KnownAttendanceSerializer(serializers.Serializer):
    """What is known of an activity's attendance as a whole (``programmes.attendance``)."""

    phrase = serializers.CharField(help_text=_("報告書の出席者の表記"))
    total = serializers.IntegerField(allow_null=True, help_text=_("合計（不明なら null）"))
    counted = serializers.IntegerField(help_text=_("団体別に記録された人数の計"))
    unattributed = serializers.IntegerField(
        allow_null=True,
        help_text=_("合計のうち団体別の内訳が分からない人数（内訳不明）。合計が不明なら null"),
    )
    members_by_kind = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("参加した構成市町の数（種類別、名前の分からないものを含む）"),
    )
    unnamed_members = serializers.IntegerField(
        help_text=_("参加したが名前の記録がない構成市町の数")
    )


class SectionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    heading = serializers.CharField()
    lead = serializers.CharField()
    bullets = serializers.ListField(source="bullet_list", child=serializers.CharField())


class PhotoSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField(help_text="公開ポータルの写真のURL")
    caption = serializers.CharField()
    alt_text = serializers.CharField()

    def get_url(self, photo) -> str:
        request = self.context.get("request")
        url = reverse("portal:photo", args=[photo.pk, "large"])
        return request.build_absolute_uri(url) if request else url


class ActivityDetailSerializer(ActivitySerializer):
    """One activity with its content, lecturers, attendance and public photos."""

    theme = serializers.CharField()
    delivery_mode = serializers.CharField()
    purpose = serializers.CharField()
    description = serializers.CharField()
    lecturers = LecturerSerializer(many=True)
    attendances = AttendanceSerializer(many=True)
    attendance_total = serializers.IntegerField(
        allow_null=True, help_text=_("出席者の合計（不明なら null）")
    )
    attendance = serializers.SerializerMethodField()
    visitor_count = serializers.IntegerField(allow_null=True)
    visitors_approximate = serializers.BooleanField()
    sections = SectionSerializer(source="sections_from_participants", many=True)
    photos = PhotoSerializer(source="public_photos", many=True)
    version = serializers.IntegerField()

    @extend_schema_field(KnownAttendanceSerializer)
    def get_attendance(self, activity) -> dict:
        known = known_attendance(activity)
        return KnownAttendanceSerializer(
            {
                "phrase": known.phrase(activity.union.region_name),
                "total": known.total,
                "counted": known.counted,
                "unattributed": known.unattributed,
                "members_by_kind": known.members_by_kind(),
                "unnamed_members": known.unnamed_members,
            }
        ).data


class ActivityFilterSerializer(serializers.Serializer):
    """Query parameters of the activity list; anything else is refused."""

    year = serializers.IntegerField(
        required=False, min_value=1989, max_value=2200, help_text=_("年度（西暦、例: 2024）")
    )
    pillar = serializers.SlugField(
        required=False, max_length=20, help_text=_("柱の識別名（hito, mono, koto）")
    )
    municipality = serializers.RegexField(
        r"^\d{6}$", required=False, help_text=_("参加・実施した市町の全国地方公共団体コード")
    )
    kind = serializers.ChoiceField(
        choices=ActivityKind.choices, required=False, help_text=_("活動の種別")
    )


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 0, "maximum": 100000},
            {"type": "string", "enum": ["took_part"]},
        ],
        "nullable": True,
    }
)
class AttendanceValueField(serializers.Field):
    """One organisation's attendance: a count, "took_part" (took part, number unknown) or
    null (no record)."""

    default_error_messages = {
        "invalid": _(
            '人数は0以上100000以下の整数、"took_part"（参加・人数不明）または null で指定してください。'
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if data == TOOK_PART:
            return TOOK_PART
        if isinstance(data, bool) or not isinstance(data, int) or not 0 <= data <= 100_000:
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class AttendanceRowSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("団体のID"))
    count = AttendanceValueField(
        help_text=_('人数、"took_part"（参加したが人数は不明）、または null（記録を削除）')
    )
    previous = AttendanceValueField(
        error_messages={
            "required": _(
                "画面で見ていた人数（previous、記録がなければ null）を"
                "指定してください。指定がないと他の人の変更を上書きします。"
            )
        },
        help_text=_(
            '画面で見ていた値（人数、"took_part"、記録がなければ null）。他の人が先に'
            "変えていれば 409 になります。"
        ),
    )


class AttendanceWriteSerializer(serializers.Serializer):
    counts = AttendanceRowSerializer(many=True, allow_empty=False, max_length=100)
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text=_("決算確定後の変更理由")
    )


class AttendanceProposalSerializer(serializers.Serializer):
    organisation = OrganisationSerializer()
    value = serializers.CharField(source="value_text", help_text=_("提案した値"))
    state = serializers.CharField()


class AttendanceResultSerializer(serializers.Serializer):
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(allow_null=True)),
        help_text=_("変更した団体ごとの[変更前, 変更後]"),
    )
    proposals = AttendanceProposalSerializer(
        many=True, help_text=_("決算確定後の年度で事務局の承認を待つ変更（このときは 202）")
    )
    attendances = AttendanceSerializer(many=True)
