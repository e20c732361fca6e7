"""`make run`'s demo: logins for the secretariat, 南陽市 and 港区, and one open 照会 each
of them can walk through."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from renkei.inquiries.models import Inquiry, InquiryState
from renkei.tenancy.management.commands.create_demo_users import DEMO_PASSWORD


@pytest.mark.reference
def test_the_demo_has_one_open_inquiry_for_nanyo_and_minato(settings, capsys, client, running_year):
    settings.DEBUG = True
    for _run in range(2):
        call_command("create_demo_users")
        call_command("create_demo_inquiry")
    out = capsys.readouterr().out
    assert "ユーザー名 nanyo" in out and "ユーザー名 minato" in out
    inquiry = Inquiry.objects.get()
    assert inquiry.state == InquiryState.SENT
    for username, code in (("nanyo", "062138"), ("minato", "131032")):
        part = inquiry.parts.get(organisation__code=code)
        assert client.login(username=username, password=DEMO_PASSWORD)
        assert inquiry.title in client.get(reverse("staff:inquiry_list")).content.decode()
        assert client.get(reverse("staff:part_detail", args=[part.pk])).status_code == 200
    assert client.login(username="jimukyoku", password=DEMO_PASSWORD)
    assert client.get(reverse("staff:inquiry_detail", args=[inquiry.pk])).status_code == 200
