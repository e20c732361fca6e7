"""``renkei add_union``: a union with its members (by checked code), its secretariat
organisation and a first secretariat user with an invitation; bad input leaves nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from renkei.audit.models import AuditEntry
from renkei.tenancy.models import Membership, Organisation, Role, StaffProfile, Union

ARGS = [
    "--name",
    "山辺広域連合",
    "--slug",
    "yamabe",
    "--region",
    "山辺",
    "--secretariat-user",
    "yamabe-jimukyoku",
    "--base-url",
    "http://testserver/",
]


@pytest.fixture
def yonezawa_known(create_two_town_union):
    """A union of 米沢市 and 南陽市 already added: 米沢市 is in the shared catalogue."""
    return create_two_town_union()


def add_union(*members, extra=()):
    out = io.StringIO()
    member_args = [arg for code in members for arg in ("--member", code)]
    call_command("add_union", *ARGS, *member_args, *extra, stdout=out)
    return out.getvalue()


def test_union_members_secretariat_and_invitation(yonezawa_known, client):
    output = add_union("293610=川西町", "062022")  # a new town, and 米沢市 from the catalogue
    union = Union.objects.get(slug="yamabe")
    assert str(union) == "山辺広域連合" and union.region_name == "山辺"
    assert union.organisation.kind == "union"
    members = list(union.members_in_order())
    assert [(m.code, m.name, m.kind) for m in members] == [
        ("293610", "川西町", "town"),
        ("062022", "米沢市", "city"),
    ]
    assert Organisation.objects.filter(code="062022").count() == 1  # the catalogue is shared
    profile = StaffProfile.objects.get(user__username="yamabe-jimukyoku")
    assert (profile.union, profile.organisation, profile.role) == (
        union,
        union.organisation,
        Role.SECRETARIAT,
    )
    assert not profile.user.has_usable_password() and not profile.user.is_staff
    assert AuditEntry.objects.filter(
        model="tenancy.union", object_id=str(union.pk), action="create"
    ).exists()
    link = output.strip().splitlines()[-1]
    assert link.startswith("http://testserver/staff/password/set/")
    form = client.get(link.removeprefix("http://testserver"), follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "yamabe-kawanishi-2025", "new_password2": "yamabe-kawanishi-2025"},
    )
    assert response.status_code == 302
    assert client.login(username="yamabe-jimukyoku", password="yamabe-kawanishi-2025")
    response = client.get("/staff/", follow=True)  # a new union starts with its first year
    assert response.redirect_chain[-1][0] == "/staff/years/"
    assert "新しい年度を作る" in response.content.decode()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (["293611=川西町"], "検査数字が違います"),
        (["29361"], "6桁の数字"),
        (["293610"], "登録されていません"),  # unknown code, no name to add it with
        (["062022=南陽市"], "「米沢市」です"),  # the code is another town's
        (["293610=川西"], "どれか分かりません"),
        (["062022", "062022"], "2回指定"),
    ],
)
def test_bad_members_refused_and_nothing_created(yonezawa_known, members, message):
    before = (
        Union.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
        StaffProfile.objects.count(),
        AuditEntry.objects.count(),
    )
    with pytest.raises(CommandError, match=message):
        add_union(*members)
    assert (
        Union.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
        StaffProfile.objects.count(),
        AuditEntry.objects.count(),
    ) == before


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--slug", "山辺"], "slug"),  # not a slug
        (["--name", "組" * 101], "100 文字"),  # longer than the catalogue allows
        (["--code", "062022"], "すでにあります"),  # a member's code as the union's
    ],
)
def test_bad_union_fields_refused_and_nothing_created(yonezawa_known, extra, message):
    organisations = Organisation.objects.count()
    with pytest.raises(CommandError, match=message):
        add_union("293610=川西町", extra=extra)
    assert Organisation.objects.count() == organisations and Union.objects.count() == 1


def test_duplicate_slug_or_user_refused(yonezawa_known, other_union):
    with pytest.raises(CommandError, match="識別名「test-union」"):
        call_command(
            "add_union",
            "--name",
            "別の組合",
            "--slug",
            "test-union",
            "--region",
            "別",
            "--member",
            "062022",
            "--secretariat-user",
            "someone-new",
        )
    with pytest.raises(CommandError, match="すでに使われています"):
        add_union("293610", extra=["--secretariat-user", "test-union-jimukyoku"])
    assert not Union.objects.filter(slug="yamabe").exists()
    assert not Organisation.objects.filter(name="山辺広域連合").exists()
