"""Entering an activity in one straight path (issue 14, item 2): 活動を追加 on the list,
days and venues added in place (here: without the page's script, by the server), the
attendance and several photos in the same form, and chosen photos kept when the form
comes back with an error (signed tokens naming pending files that expire)."""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from renkei.programmes.attendance import TOOK_PART
from renkei.programmes.models import Activity, Attendance, Photo
from renkei.staff import pending_photos

from .conftest import NANYO, YONEZAWA
from .helpers import TITLE, entry, jpeg_with_gps_and_date


@pytest.fixture
def group(year, create_programme):
    """An item of the running FY2024 to add activities to."""
    return create_programme(
        year, name="遠隔自治体間連携事業", group_title="今年度実施した取組"
    ).first_group


def new_url(group):
    return f"/staff/activities/new/?group={group.pk}"


def photo_file(name="kouryu.jpg", content=None):
    return SimpleUploadedFile(name, content or jpeg_with_gps_and_date(), "image/jpeg")


def pending_files() -> list[str]:
    try:
        return default_storage.listdir(pending_photos.FOLDER)[1]
    except FileNotFoundError:
        return []


def test_the_list_offers_activity_creation_with_the_item_chosen_there(client_as, group):
    page = client_as("secretariat").get("/staff/activities/").content.decode()
    assert 'action="/staff/activities/new/"' in page and ">活動を追加</button>" in page
    assert f'<option value="{group.pk}">({group.number}) {group.title}</option>' in page
    assert "活動を追加" not in client_as("member").get("/staff/activities/").content.decode()


def test_no_item_chosen_goes_back_to_the_list(client_as, year):
    response = client_as("secretariat").get("/staff/activities/new/", follow=True)
    assert "活動を追加する事業と項目を選んでください" in response.content.decode()
    assert client_as("secretariat").get("/staff/activities/new/?group=999999").status_code == 404


def test_add_day_without_script_shows_one_more_day_and_saves_nothing(client_as, group):
    data = entry(**{"days-TOTAL_FORMS": "1", "title": "", "add_day": "1"})
    response = client_as("secretariat").post(new_url(group), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "2日目" in text and 'name="days-1-date"' in text
    assert 'value="令和6年8月1日"' in text  # what was typed stays
    assert "field-errors" not in text and "入力内容を確認してください" not in text
    assert not Activity.objects.filter(title=TITLE).exists()


def test_add_venue_without_script_shows_one_more_venue_row(client_as, group):
    response = client_as("secretariat").post(new_url(group), entry(add_venue="1"))
    text = response.content.decode()
    assert 'name="days-0-venue_name_4"' in text and 'name="venue_slots" value="4"' in text


def test_the_whole_activity_in_one_post(client_as, group, committed):
    client = client_as("secretariat")
    data = entry(
        **{
            "photos-files": [photo_file("a.jpg"), photo_file("b.jpg")],
            "photos-photo_0_alt_text": "交流研修の会場",
            "photos-photo_0_caption": "1日目",
            "photos-photo_1_alt_text": "意見交換の様子",
        }
    )
    with committed():
        response = client.post(new_url(group), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    made = Activity.objects.get(title=TITLE)
    assert [d.date.isoformat() for d in made.days.all()] == ["2024-08-01", "2024-08-02"]
    assert [v.name for v in made.days.all()[1].venues.all()] == ["南陽市文化会館", "赤湯温泉"]
    assert made.lecturers.get().name == "箕浦 龍一"
    counts = {a.organisation.code: a.value for a in Attendance.objects.filter(activity=made)}
    assert counts == {YONEZAWA: 12, NANYO: TOOK_PART}
    photos = list(Photo.objects.filter(activity=made).order_by("order"))
    assert [p.alt_text for p in photos] == ["交流研修の会場", "意見交換の様子"]
    assert all(default_storage.exists(p.image.name) for p in photos)
    assert pending_files() == []  # moved to their place and gone from pending


def test_a_chosen_photo_is_kept_when_the_form_comes_back(client_as, group, committed):
    client = client_as("secretariat")
    first = client.post(
        new_url(group),
        entry(title="", **{"photos-files": [photo_file()], "photos-photo_0_alt_text": "会場"}),
    )
    assert first.status_code == 400
    text = first.content.decode()
    assert "名称" in text and "kouryu.jpg" in text and "預かっています" in text
    token = first.context["photos"].rows[0].token
    assert f'value="{token}"' in text and 'value="会場"' in text
    assert len(pending_files()) == 2  # the photo and its thumbnail, nowhere final yet
    assert not Photo.objects.filter(alt_text="会場").exists()
    again = entry(**{"photos-photo_0_token": token, "photos-photo_0_alt_text": "会場"})
    with committed():
        response = client.post(new_url(group), again)
    assert response.status_code == 302, response.content.decode()[-3000:]
    photo = Photo.objects.get(activity__title=TITLE)
    assert photo.alt_text == "会場" and photo.taken_on.isoformat() == "2024-11-02"
    assert pending_files() == []


def test_a_photo_without_its_text_asks_for_it_at_the_field(client_as, group):
    response = client_as("secretariat").post(
        new_url(group), entry(**{"photos-files": [photo_file()]})
    )
    text = response.content.decode()
    assert 'id="id_photos-photo_0_alt_text_error"' in text
    assert "写真に何が写っているかを書いてください" in text
    assert not Activity.objects.filter(title=TITLE).exists()


def test_a_bad_file_among_several_is_named_and_the_others_kept(client_as, group):
    files = [photo_file("good.jpg"), photo_file("notes.jpg", b"not an image at all")]
    response = client_as("secretariat").post(new_url(group), entry(**{"photos-files": files}))
    text = response.content.decode()
    assert "notes.jpg: 画像として読み取れないファイルです" in text
    assert [row.name for row in response.context["photos"].rows] == ["good.jpg"]


def test_another_users_or_a_forged_or_expired_token_is_refused(
    client_as, group, staff, monkeypatch
):
    first = client_as("secretariat").post(
        new_url(group), entry(title="", **{"photos-files": [photo_file()]})
    )
    token = first.context["photos"].rows[0].token
    for bad in (token[:-2] + "xx", "photo.jpg"):
        response = client_as("secretariat").post(
            new_url(group), entry(**{"photos-photo_0_token": bad, "photos-photo_0_alt_text": "x"})
        )
        assert "選んだ写真を確認できません" in response.content.decode()
    staff["auditor"].staff_profile.role = "secretariat"
    staff["auditor"].staff_profile.save()
    stolen = client_as("auditor").post(
        new_url(group), entry(**{"photos-photo_0_token": token, "photos-photo_0_alt_text": "x"})
    )
    assert "選んだ写真を確認できません" in stolen.content.decode()
    monkeypatch.setattr(pending_photos, "MAX_AGE", timedelta(seconds=-1))
    late = client_as("secretariat").post(
        new_url(group), entry(**{"photos-photo_0_token": token, "photos-photo_0_alt_text": "x"})
    )
    assert "保存期間が過ぎました" in late.content.decode()
    assert not Activity.objects.filter(title=TITLE).exists()


def test_old_pending_files_are_swept(client_as, group):
    client_as("secretariat").post(
        new_url(group), entry(title="", **{"photos-files": [photo_file()]})
    )
    old = time.time() - pending_photos.MAX_AGE.total_seconds() - 60
    for name in pending_files():
        os.utime(default_storage.path(f"{pending_photos.FOLDER}/{name}"), (old, old))
    assert pending_photos.sweep() == 2 and pending_files() == []


def test_a_photo_lost_meanwhile_saves_nothing(client_as, group):
    """The activity, its attendance and photos are one transaction: a kept file that is
    gone when saving leaves no activity behind."""
    client = client_as("secretariat")
    first = client.post(new_url(group), entry(title="", **{"photos-files": [photo_file()]}))
    token = first.context["photos"].rows[0].token
    for name in pending_files():
        default_storage.delete(f"{pending_photos.FOLDER}/{name}")
    response = client.post(
        new_url(group), entry(**{"photos-photo_0_token": token, "photos-photo_0_alt_text": "x"})
    )
    assert response.status_code == 400 and "保存期間が過ぎました" in response.content.decode()
    assert not Activity.objects.filter(title=TITLE).exists()
    assert not Attendance.objects.filter(activity__title=TITLE).exists()
