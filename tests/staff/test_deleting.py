"""Deleting an activity or a budget line: the secretariat only, the change log keeps
what it was, numbers close up, files go after the commit, stale pages are refused."""

import pytest

from renkei.audit.models import AuditEntry
from renkei.finance.models import BudgetLine
from renkei.opendata.models import PublishedId
from renkei.programmes.models import Activity, FiscalYearState
from renkei.tenancy.models import Organisation

from .conftest import YONEZAWA
from .helpers import make_photo


@pytest.fixture
def line(year, create_budget_line):
    return create_budget_line(year, settled=123456)


def test_secretariat_deletes_an_activity_and_the_rest_move_up(
    client_as, year, create_programme, create_activity, django_capture_on_commit_callbacks
):
    group = create_programme(year).first_group
    titles = ["交流会", "ワーケーション", "物産展", "視察研修"]
    doomed = [create_activity(group=group, title=title) for title in titles][1]
    before = list(group.activities.order_by("sub_number").values_list("title", "sub_number"))
    number = doomed.sub_number
    photo = make_photo(doomed, Organisation.objects.get(code=YONEZAWA), "視察")
    storage, name = photo.image.storage, photo.image.name
    published = PublishedId.objects.create(activity=doomed)
    client = client_as("secretariat")
    page = client.get(f"/staff/activities/{doomed.pk}/delete/").content.decode()
    assert "写真 1枚" in page and "元に戻せません" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/activities/{doomed.pk}/delete/", {"version": doomed.version, "reason": ""}
        )
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=doomed.pk).exists()
    after = list(group.activities.order_by("sub_number").values_list("title", "sub_number"))
    assert after == [(title, n if n < number else n - 1) for title, n in before if n != number]
    assert not storage.exists(name)
    published.refresh_from_db()
    assert published.activity is None  # the open-data ID stays retired
    entry = AuditEntry.objects.get(
        model="programmes.activity", object_id=str(doomed.pk), action="delete"
    )
    assert entry.changes["title"] == [doomed.title, None]
    assert entry.changes["photos"] == [[f"視察（{name}）"], None]


def test_stale_delete_is_refused(client_as, initiative):
    exhibition = initiative
    client = client_as("secretariat")
    stale_version = exhibition.version
    Activity.objects.filter(pk=exhibition.pk).update(version=stale_version + 1)
    response = client.post(
        f"/staff/activities/{exhibition.pk}/delete/", {"version": stale_version, "reason": ""}
    )
    assert response.status_code == 409 and "保存していません" in response.content.decode()
    assert Activity.objects.filter(pk=exhibition.pk).exists()


def test_closed_year_delete_needs_a_reason(client_as, year, initiative):
    year.state = FiscalYearState.CLOSED
    year.save(update_fields=["state"])
    exhibition = initiative
    client = client_as("secretariat")
    url = f"/staff/activities/{exhibition.pk}/delete/"
    response = client.post(url, {"version": exhibition.version, "reason": ""})
    assert "変更の理由を入力してください" in response.content.decode()
    assert Activity.objects.filter(pk=exhibition.pk).exists()
    client.post(url, {"version": exhibition.version, "reason": "重複して登録したため"})
    assert not Activity.objects.filter(pk=exhibition.pk).exists()
    assert (
        AuditEntry.objects.get(
            object_id=str(exhibition.pk), action="delete", model="programmes.activity"
        ).reason
        == "重複して登録したため"
    )


def test_delete_button_only_for_the_secretariat(client_as, initiative):
    exhibition = initiative
    assert (
        "活動を削除"
        in client_as("secretariat").get(f"/staff/activities/{exhibition.pk}/").content.decode()
    )
    assert (
        "活動を削除"
        not in client_as("member").get(f"/staff/activities/{exhibition.pk}/").content.decode()
    )


def test_secretariat_deletes_a_budget_line(client_as, line):
    client = client_as("secretariat")
    assert "の行を削除" in client.get(f"/staff/budget/lines/{line.pk}/").content.decode()
    response = client.post(
        f"/staff/budget/lines/{line.pk}/delete/", {"version": line.version, "reason": ""}
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2024")
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    entry = AuditEntry.objects.get(model="finance.budgetline", object_id=str(line.pk))
    assert entry.action == "delete" and entry.changes["settled"] == [line.settled, None]


def test_stale_budget_line_delete_is_refused(client_as, line):
    BudgetLine.objects.filter(pk=line.pk).update(version=line.version + 1)
    response = client_as("secretariat").post(
        f"/staff/budget/lines/{line.pk}/delete/",
        {"version": line.version, "reason": ""},
        follow=True,
    )
    assert "保存していません" in response.content.decode()
    assert BudgetLine.objects.filter(pk=line.pk).exists()
