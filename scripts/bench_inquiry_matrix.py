"""Benchmark the secretariat's 照会 matrix (recipients × asked items) page.

Migrates a throw-away SQLite database (in a temporary RENKEI_VAR_DIR), loads the FY2024
seed, then for each size builds a sent 照会 with that many recipients (synthetic
organisations) and asked items (activities' attendance, impressions, questions), every
recipient having answered every item, and renders the matrix page signed in as the
secretariat. Prints the queries and the median time of the page as Markdown.

    .venv/bin/python scripts/bench_inquiry_matrix.py --sizes 10x10 100x50
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(year, secretariat, recipients: int, items: int):
    from django.utils import timezone

    from renkei.inquiries.models import Answer, InquiryPart
    from renkei.inquiries.services import InquiryData, QuestionData, create_inquiry, send_inquiry
    from renkei.programmes.models import Activity, Attendance
    from renkei.tenancy.models import Organisation

    tag = f"bench-{recipients}x{items}"
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"{tag}-{n}", kind="other") for n in range(recipients)
    )
    activities = list(Activity.objects.filter(group__programme__fiscal_year=year)[: items // 2])
    questions = [
        QuestionData(f"質問{n}", "number" if n % 2 else "text")
        for n in range(items - len(activities) - 1)
    ]
    inquiry = send_inquiry(
        create_inquiry(
            year,
            secretariat,
            InquiryData(
                title=tag,
                deadline=timezone.localdate() + timedelta(days=14),
                recipients=orgs,
                activities=activities,
                questions=questions,
            ),
        ),
        secretariat,
    )
    Attendance.objects.bulk_create(
        Attendance(activity=a, organisation=o, count=3) for a in activities for o in orgs
    )
    parts = list(InquiryPart.objects.filter(inquiry=inquiry))
    InquiryPart.objects.filter(inquiry=inquiry).update(impressions="感想")
    Answer.objects.bulk_create(
        Answer(
            part=p,
            question=q,
            text="回答" if q.answer_type == "text" else "",
            number=None if q.answer_type == "text" else 5,
        )
        for p in parts
        for q in inquiry.questions.all()
    )
    return inquiry


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", default=["10x10", "100x50"])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    os.environ["RENKEI_VAR_DIR"] = tempfile.mkdtemp(prefix="renkei-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.urls import reverse

    from renkei.operations.seed import load_year_file
    from renkei.tenancy.services import create_staff_user

    # As in Django's TestCase: one connection throughout, so its queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    year = load_year_file().fiscal_year
    secretariat = create_staff_user(
        username="bench",
        password="bench-pass-2024-x",
        union=year.union,
        organisation=year.union.organisation,
        role="secretariat",
    )
    client = Client()
    client.force_login(secretariat)
    print("| recipients × items | queries | median (ms) | p90 (ms) |")
    print("|---|---|---|---|")
    for size in args.sizes:
        recipients, items = (int(x) for x in size.split("x"))
        inquiry = build(year, secretariat, recipients, items)
        url = reverse("staff:inquiry_detail", args=[inquiry.pk])
        connection.force_debug_cursor = True
        connection.queries_log.clear()
        before = 0
        assert client.get(url).status_code == 200
        queries = list(connection.queries_log)[before:]
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(
            f"| {recipients} × {items} | {len(queries)} | {statistics.median(times):.0f} | "
            f"{times[int(len(times) * 0.9) - 1]:.0f} |"
        )


if __name__ == "__main__":
    main()
