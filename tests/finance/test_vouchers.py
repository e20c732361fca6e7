"""Vouchers (証憑): checked like photos, bounded in size, stored privately with the
commit, served only to who may read the budget's execution, as downloads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from renkei.errors import RenkeiError
from renkei.finance import vouchers
from renkei.finance.expenses import delete_expense, record_expense
from renkei.finance.models import Expense, Voucher
from tests.factories import DAY

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, format="PNG")
    return out.getvalue()


def spend(year, user, *uploads):
    return record_expense(
        year.lines["supplies"],
        user,
        spent_on=DAY,
        payee="置賜文具店",
        amount=3300,
        purpose="コピー用紙",
        vouchers=list(uploads),
    )


def test_a_pdf_and_an_image_are_stored_with_the_commit(fy2025, secretariat, committed):
    with committed():
        expense = spend(
            fy2025,
            secretariat,
            SimpleUploadedFile("領収書.pdf", PDF),
            SimpleUploadedFile("receipt.png", png()),
        )
    pdf, image = Voucher.objects.filter(expense=expense).order_by("pk")
    assert pdf.content_type == "application/pdf" and pdf.file.read() == PDF
    assert pdf.original_name == "領収書.pdf" and pdf.file.name.startswith("vouchers/")
    assert image.content_type == "image/jpeg" and image.file.read()[:2] == b"\xff\xd8"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.pdf", b"<html>not a pdf</html>", "読み取れません"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj", "完全ではありません"),
    ],
)
def test_what_is_not_a_voucher_is_refused_and_nothing_is_saved(
    fy2025, secretariat, name, content, message
):
    with pytest.raises(RenkeiError, match=message):
        spend(fy2025, secretariat, SimpleUploadedFile(name, content))
    assert not Expense.objects.exists() and not Voucher.objects.exists()


def test_a_voucher_too_large_is_refused(fy2025, secretariat, monkeypatch):
    monkeypatch.setattr(vouchers, "MAX_BYTES", len(PDF) - 1)
    with pytest.raises(RenkeiError, match="大きすぎます"):
        spend(fy2025, secretariat, SimpleUploadedFile("big.pdf", PDF))
    assert not Expense.objects.exists()


def test_download_is_for_the_secretariat_and_auditors_only(
    fy2025, secretariat, committed, client, make_user
):
    with committed():
        expense = spend(fy2025, secretariat, SimpleUploadedFile("領収書.pdf", PDF))
    url = reverse("staff:voucher_download", args=[expense.vouchers.get().pk])
    readers = {
        "secretariat": secretariat,
        "auditor": make_user("auditor"),
        "member": make_user("member", "062022"),
    }
    for role, status in (("secretariat", 200), ("auditor", 200), ("member", 403)):
        client.force_login(readers[role])
        response = client.get(url)
        assert response.status_code == status, role
        if status == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert b"".join(response.streaming_content) == PDF


def test_deleting_the_expense_removes_its_files(fy2025, secretariat, committed):
    with committed():
        expense = spend(fy2025, secretariat, SimpleUploadedFile("領収書.pdf", PDF))
    voucher = expense.vouchers.get()
    storage, name = voucher.file.storage, voucher.file.name
    with committed():
        delete_expense(expense, secretariat, reason="二重計上")
    assert not storage.exists(name) and not Voucher.objects.exists()
