"""A submitted 照会 part is locked everywhere, not only in the 照会's own screens: its
organisation's staff cannot change the initiatives it led or its attendance at the asked
sessions through the activity screens, the API or an import (a Japanese 4xx, nothing
saved); the secretariat changes them only with a reason, kept in the change log; once the
part is returned its organisation edits them again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from renkei.audit.models import AuditEntry
from renkei.errors import RenkeiError
from renkei.inquiries.services import (
    approve_part,
    create_initiative,
    return_part,
    save_part_attendance,
    submit_part,
)
from renkei.programmes.models import Activity, Attendance, RecordLock
from renkei.programmes.services import record_attendance, save_impressions, update_activity
from tests.staff.form_filling import post_data

from .conftest import NANYO, YONEZAWA, org, session

LOCKED = "提出した照会「令和6年度 広域連携事業の実績照会」への回答（提出済）に含まれているため"


@pytest.fixture
def submitted(sent, nanyo_part, users):
    """南陽市 led an initiative, recorded 3 people at 旅先納税 and submitted its part."""
    nanyo = users["member"]
    group = sent.programmes.get().groups.get(number=3)
    initiative = create_initiative(
        nanyo_part,
        nanyo,
        group=group,
        fields={"title": "白金ミートフェスティバル出展", "kind": "festival_booth"},
    )
    seminar = session(sent.fiscal_year, "旅先納税")
    save_part_attendance(
        nanyo_part,
        nanyo,
        values={seminar.pk: 3},
        seen={seminar.pk: _value(seminar, NANYO)},
    )
    submit_part(nanyo_part, nanyo)
    return {"part": nanyo_part, "initiative": initiative, "seminar": seminar}


def _value(activity, code):
    row = Attendance.objects.filter(activity=activity, organisation__code=code).first()
    return None if row is None else row.value


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_submitting_holds_the_parts_records_and_returning_lifts_them(submitted, users):
    locks = RecordLock.objects.filter(organisation__code=NANYO)
    assert {(lock.activity_id, lock.covers_activity) for lock in locks} >= {
        (submitted["initiative"].pk, True),
        (submitted["seminar"].pk, False),
    }
    approve_part(submitted["part"], users["secretariat"])
    assert "承認済" in RecordLock.objects.filter(organisation__code=NANYO).first().label
    return_part(submitted["part"], users["secretariat"], comment="日付を確認してください")
    assert not RecordLock.objects.filter(organisation__code=NANYO).exists()


def test_the_staff_screens_refuse_a_submitted_initiative_and_attendance(submitted, users, client):
    initiative, seminar = submitted["initiative"], submitted["seminar"]
    client.force_login(users["member"])
    page = client.get(reverse("staff:activity_edit", args=[initiative.pk]))
    data = post_data(page.context["form"]) | {"title": "書き換えた題名"}
    for name in ("days", "lecturers"):
        formset = page.context[name]
        data |= post_data(formset.management_form, formset.prefix)
        for number, form in enumerate(formset.forms):
            data |= post_data(form, f"{formset.prefix}-{number}")
    response = client.post(page.request["PATH_INFO"], data)
    assert LOCKED in response.content.decode()  # the page again, with the reason
    initiative.refresh_from_db()
    assert initiative.title == "白金ミートフェスティバル出展"

    url = reverse("staff:attendance_edit", args=[seminar.pk])
    form = client.get(url).context["form"]
    data = post_data(form) | {f"count_{org(NANYO).pk}": "9"}
    response = client.post(url, data)
    assert LOCKED in response.content.decode()  # the page again, with the reason
    assert _value(seminar, NANYO) == 3

    url = reverse("staff:impressions_edit", args=[seminar.pk])
    data = post_data(client.get(url).context["form"]) | {"text": "提出後に書いた感想"}
    response = client.post(url, data)
    assert LOCKED in response.content.decode()  # the page again, with the reason
    assert not seminar.sections.filter(organisation__code=NANYO).exists()


def test_the_api_refuses_a_submitted_attendance(submitted, users):
    seminar = submitted["seminar"]
    response = _api(users["member"]).put(
        f"/api/activities/{seminar.pk}/attendance/",
        {"counts": [{"organisation": org(NANYO).pk, "count": 7, "previous": 3}]},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert LOCKED in response.json()["error"]["message"]
    assert _value(seminar, NANYO) == 3


def test_an_import_refuses_a_submitted_attendance_and_saves_nothing(
    submitted, users, client, run_jobs
):
    seminar = submitted["seminar"]
    client.force_login(users["member"])
    url = reverse("staff:attendance_import", args=[seminar.pk])
    upload = SimpleUploadedFile("a.csv", "団体,人数\n南陽市,8\n".encode())
    assert "この内容で保存する" in client.post(url, {"file": upload}).content.decode()
    asked = client.post(url, {"confirm": "1"})
    run_jobs()
    assert LOCKED in client.get(asked["Location"]).content.decode()  # the job's page says why
    assert _value(seminar, NANYO) == 3


def test_other_organisations_records_on_the_same_session_stay_open(submitted, users):
    seminar = submitted["seminar"]
    before = _value(seminar, YONEZAWA)
    record_attendance(
        seminar,
        users["other_member"],
        counts={org(YONEZAWA).pk: 4},
        seen={org(YONEZAWA).pk: before},
    )
    assert _value(seminar, YONEZAWA) == 4


def test_the_secretariat_changes_a_submitted_answer_only_with_a_reason(submitted, users):
    secretariat, initiative = users["secretariat"], submitted["initiative"]
    with pytest.raises(RenkeiError, match="変更の理由を入力してください"):
        update_activity(
            initiative,
            secretariat,
            expected_version=initiative.version,
            fields={"title": "事務局が直した題名"},
        )
    with pytest.raises(RenkeiError, match="変更の理由を入力してください"):
        record_attendance(
            submitted["seminar"],
            secretariat,
            counts={org(NANYO).pk: 5},
            seen={org(NANYO).pk: 3},
        )
    update_activity(
        initiative,
        secretariat,
        expected_version=initiative.version,
        fields={"title": "事務局が直した題名"},
        reason="会場名の誤記を訂正",
    )
    assert Activity.objects.get(pk=initiative.pk).title == "事務局が直した題名"
    entry = AuditEntry.objects.filter(
        model="programmes.activity", object_id=str(initiative.pk)
    ).first()
    assert entry.reason == "会場名の誤記を訂正"


def test_a_returned_part_is_open_again_everywhere(submitted, users):
    return_part(submitted["part"], users["secretariat"], comment="人数を確認してください")
    seminar = submitted["seminar"]
    response = _api(users["member"]).put(
        f"/api/activities/{seminar.pk}/attendance/",
        {"counts": [{"organisation": org(NANYO).pk, "count": 4, "previous": 3}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    save_impressions(
        seminar, users["member"], organisation=org(NANYO), text="参考になった", expected="new"
    )
    assert _value(seminar, NANYO) == 4


def test_publishing_a_submitted_initiative_needs_no_reason(submitted, users):
    """Publication stays the secretariat's decision, not a change of the answer."""
    initiative = submitted["initiative"]
    update_activity(
        initiative,
        users["secretariat"],
        expected_version=initiative.version,
        fields={"is_public": True},
    )
    assert Activity.objects.get(pk=initiative.pk).is_public
