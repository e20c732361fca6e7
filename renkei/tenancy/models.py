"""Organisations (with their national codes), unions as tenants, and staff roles.

Organisations are a shared catalogue: 米沢市 is the same body for every union that
counts it. A union is a tenant: every record of a year hangs off one union, and
each user works within exactly one union through a ``StaffProfile``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .codes import prefecture_name, validate_local_government_code


class OrganisationKind(models.TextChoices):
    PREFECTURE = "prefecture", _("都道府県")
    CITY = "city", _("市")
    TOWN = "town", _("町")
    VILLAGE = "village", _("村")
    SPECIAL_WARD = "special_ward", _("特別区")
    UNION = "union", _("一部事務組合・広域連合")
    PREFECTURAL_OFFICE = "prefectural_office", _("県の出先機関")
    BRANCH_OFFICE = "branch_office", _("支所")
    NATIONAL_AGENCY = "national_agency", _("国の機関")
    FOUNDATION = "foundation", _("財団法人")
    ASSOCIATION = "association", _("社団法人・協会")
    COMPANY = "company", _("企業")
    OTHER = "other", _("その他")


LOCAL_GOVERNMENT_KINDS = {
    OrganisationKind.PREFECTURE,
    OrganisationKind.CITY,
    OrganisationKind.TOWN,
    OrganisationKind.VILLAGE,
    OrganisationKind.SPECIAL_WARD,
}
# Cities, towns, villages and Tokyo's special wards: where a venue can lie.
MUNICIPAL_KINDS = LOCAL_GOVERNMENT_KINDS - {OrganisationKind.PREFECTURE}


class Organisation(models.Model):
    """A body that takes part: a local government, a union, a foundation, a company."""

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(
        _("略称"), max_length=60, blank=True, help_text=_("報告書の出席者欄などで使う短い名前")
    )
    kana = models.CharField(_("よみがな"), max_length=200, blank=True)
    kind = models.CharField(_("種別"), max_length=30, choices=OrganisationKind.choices)
    code = models.CharField(
        _("全国地方公共団体コード"),
        max_length=6,
        blank=True,
        null=True,
        unique=True,
        validators=[validate_local_government_code],
        help_text=_("6桁（検査数字を含む）。地方公共団体以外は空欄。"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上位の団体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("団体")
        verbose_name_plural = _("団体")
        # Bodies without a code last on every database (SQLite and PostgreSQL put NULL
        # at opposite ends by default).
        ordering = [models.F("code").asc(nulls_last=True), "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name a report uses for this body."""
        return self.short_name or self.name

    @property
    def prefecture(self) -> str:
        return prefecture_name(self.code) if self.code else ""

    @property
    def is_local_government(self) -> bool:
        return self.kind in LOCAL_GOVERNMENT_KINDS


class Union(models.Model):
    """A tenant: a union of municipalities (一部事務組合, 広域連合) and its data."""

    union_path = ""  # how a record reaches its union (tenancy.permissions)

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("団体"), on_delete=models.PROTECT, related_name="union"
    )
    slug = models.SlugField(_("識別名"), unique=True)
    region_name = models.CharField(
        _("圏域名"), max_length=30, help_text=_("出席者の表記「置賜3市5町」の「置賜」")
    )
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    # The public's contact (every portal page's footer): the union's own records.
    contact_section = models.CharField(
        _("問い合わせ先（担当）"), max_length=100, blank=True, help_text=_("例: 事務局 総務課")
    )
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    members: models.ManyToManyField[Organisation, "Membership"] = models.ManyToManyField(
        Organisation, through="Membership", related_name="member_of", verbose_name=_("構成団体")
    )

    class Meta:
        verbose_name = _("組合")
        verbose_name_plural = _("組合")

    def __str__(self) -> str:
        return self.organisation.name

    def members_in_order(self):
        """The member municipalities in the order of the union's 規約: every list of
        members (screens, the report, exports) reads them from here."""
        return Organisation.objects.filter(membership__union=self).order_by("membership__order")


class Membership(models.Model):
    """A member municipality of a union, in the order of the union's 規約."""

    union = models.ForeignKey(Union, on_delete=models.CASCADE, verbose_name=_("組合"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("構成団体")
    )
    order = models.PositiveSmallIntegerField(_("規約上の順序"), default=0)

    class Meta:
        verbose_name = _("構成団体")
        verbose_name_plural = _("構成団体")
        ordering = ["union", "order"]
        constraints = [
            models.UniqueConstraint(fields=["union", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.union} / {self.organisation}"


class PartnerRole(models.TextChoices):
    REMOTE_PARTNER = "remote_partner", _("遠隔連携自治体")
    SUPPORT = "support", _("支援団体")
    FUNDER = "funder", _("助成団体")
    OTHER = "other", _("その他")


class Partnership(models.Model):
    """A partner of a union outside its membership, with the agreement or grant behind it."""

    union = models.ForeignKey(
        Union, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("組合")
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("団体"))
    role = models.CharField(_("役割"), max_length=20, choices=PartnerRole.choices)
    basis = models.CharField(
        _("根拠（協定・助成金など）"),
        max_length=200,
        blank=True,
        help_text=_("例: 地方創生に向けた人材育成に関する連携協定"),
    )
    since_fiscal_year = models.PositiveSmallIntegerField(
        _("開始年度（西暦）"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("連携先")
        verbose_name_plural = _("連携先")
        constraints = [
            models.UniqueConstraint(
                fields=["union", "organisation", "role"], name="partnership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}（{self.get_role_display()}）"


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("事務局")
    MEMBER = "member", _("構成市町職員")
    PARTNER = "partner", _("連携先職員")
    AUDITOR = "auditor", _("監査・議会（閲覧のみ）")


class StaffProfile(models.Model):
    """Which union and organisation a user works for, and in which role."""

    union_path = "union"  # how a record reaches its union (tenancy.permissions)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    union = models.ForeignKey(Union, on_delete=models.PROTECT, verbose_name=_("組合"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("所属団体")
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("職員の所属")
        verbose_name_plural = _("職員の所属")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[choice.value for choice in Role]),
                name="staffprofile_role_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.organisation}（{self.get_role_display()}）"


class SignInCounter(models.Model):
    """Sign-in attempts within the current window, for one user name from one address or
    for one user name from anywhere (``key`` is a digest: no name or address is stored).
    Counted in the database so that every worker process shares the counts; see
    ``tenancy.signin``."""

    key = models.CharField(max_length=64, primary_key=True)
    attempts = models.PositiveIntegerField(_("試行回数"), default=0)
    window_ends = models.DateTimeField(_("期間の終わり"), db_index=True)

    class Meta:
        verbose_name = _("ログイン試行の回数")
        verbose_name_plural = _("ログイン試行の回数")

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.attempts}"
