"""Every fact of the FY2024 reference report is in the database after loading.

The facts below are transcribed from ../shared/reference/fy2024-report.txt (with the
extraction's garbling fixed: スタンダード, 何もないまち). Each is looked up in the
records by structure — which activity, which day, which line — not by searching text.
"""

from datetime import date, time

import pytest

from renkei.finance.models import BudgetLine
from renkei.finance.statement import statement_for
from renkei.programmes.attendance import activity_attendance_phrase
from renkei.programmes.models import Activity, NarrativeSection, PartnershipProject
from renkei.tenancy.models import Organisation, Union

# Reference tests: about the real FY2024 year (its facts, the data migrations over it).
pytestmark = [pytest.mark.django_db, pytest.mark.reference]

MEMBERS = [  # in the order of the union's 規約
    ("米沢市", "062022"),
    ("長井市", "062090"),
    ("南陽市", "062138"),
    ("高畠町", "063819"),
    ("川西町", "063827"),
    ("白鷹町", "064025"),
    ("小国町", "064017"),
    ("飯豊町", "064033"),
]

PROGRAMME_ITEMS = [
    (1, "遠隔自治体間連携事業", 1, "おきたま×みなと開港プロジェクト交流研修", ["交流研修"]),
    (1, "遠隔自治体間連携事業", 2, "港区芝地区交流事業", ["「ふれ愛まつりだ、芝地区！」出展"]),
    (
        1,
        "遠隔自治体間連携事業",
        3,
        "今年度実施した取組",
        [
            "港区連携自治体ワーケーション促進事業",
            "札の辻スクエア3階イベントスペース 「米沢市紅花フラワーアレンジメント展示」",
            "札の辻スクエア9階産業振興センター 「伝統工芸品展示」",
            "南陽市議会議員港区行政視察",
            "港区内商店会開催イベント 「白金ミートフェスティバル」出展",
            "港区デジタルサイネージでのPR動画の放映",
            "港区立エコプラザ「ちいき百貨」での木工品等の展示",
        ],
    ),
    (
        2,
        "研修事業",
        1,
        "広域連携外部研修（地方創生セミナーアドバンス）",
        ["VUCA時代の今、地方公共団体職員に求められる能力とは"],
    ),
    (
        2,
        "研修事業",
        2,
        "広域連携外部研修（地方創生セミナースタンダード）",
        [
            "ZEB導入セミナー",
            "急速に広がった自治体の生成AI活用",
            "ノーコード活用セミナー",
            "ウェルビーイングな職場づくり",
            "自治体職員のための行動経済学",
            "ゲームイベントによる地方創生の可能性",
        ],
    ),
    (
        2,
        "研修事業",
        3,
        "広域連携外部研修（地方創生セミナーベーシック）",
        [
            "保育園留学による関係人口づくり",
            "旅先納税",
            "地域経済循環分析の基礎知識×カーボンニュートラル",
            "Food Innovationを通じた地域活性化の可能性",
            "これからの公務員副業のあり方",
        ],
    ),
    (
        2,
        "研修事業",
        4,
        "広域連携外部研修（地方創生実践塾）",
        [
            "何もないまちがロケの聖地に",
            "まちあそびイノベーション",
            "官学連携による地域人材育成と農村イノベーション",
            "「日本一若いまち」の対話、プロセスを重視したまちづくり",
        ],
    ),
    (2, "研修事業", 5, "広域連携外部研修（キャリア開発塾）", ["キャリア開発塾"]),
    (2, "研修事業", 6, "自治体DX研修会", ["自治体DX研修会"]),
    (2, "研修事業", 7, "自治体GX研修会", ["自治体GX研修会"]),
]

INITIATIVE_LEADS = {
    1: ["南陽市", "小国町"],
    2: ["米沢市"],
    3: ["米沢市", "高畠町"],
    4: ["南陽市"],
    5: ["南陽市", "小国町"],
    6: ["飯豊町", "小国町"],
    7: ["米沢市"],
}

# (series short title, session title, first day, last day, place, mode, attendees)
SEMINARS = [
    (
        "地方創生セミナー アドバンス",
        "VUCA時代の今、地方公共団体職員に求められる能力とは",
        "2025-01-30",
        "2025-01-31",
        "東京都",
        "in_person",
        2,
    ),
    ("地方創生セミナー スタンダード", "ZEB導入セミナー", "2024-06-07", None, "東京都", "hybrid", 2),
    (
        "地方創生セミナー スタンダード",
        "急速に広がった自治体の生成AI活用",
        "2024-07-19",
        None,
        "東京都",
        "hybrid",
        6,
    ),
    (
        "地方創生セミナー スタンダード",
        "ノーコード活用セミナー",
        "2024-08-02",
        None,
        "東京都",
        "in_person",
        2,
    ),
    (
        "地方創生セミナー スタンダード",
        "ウェルビーイングな職場づくり",
        "2024-10-28",
        None,
        None,
        "online",
        3,
    ),
    (
        "地方創生セミナー スタンダード",
        "自治体職員のための行動経済学",
        "2024-11-08",
        None,
        "東京都",
        "hybrid",
        5,
    ),
    (
        "地方創生セミナー スタンダード",
        "ゲームイベントによる地方創生の可能性",
        "2024-12-13",
        None,
        "東京都",
        "hybrid",
        2,
    ),
    (
        "地方創生セミナー ベーシック",
        "保育園留学による関係人口づくり",
        "2024-05-29",
        None,
        None,
        "online",
        1,
    ),
    ("地方創生セミナー ベーシック", "旅先納税", "2024-06-26", None, None, "online", 2),
    (
        "地方創生セミナー ベーシック",
        "地域経済循環分析の基礎知識×カーボンニュートラル",
        "2024-07-31",
        None,
        None,
        "online",
        5,
    ),
    (
        "地方創生セミナー ベーシック",
        "Food Innovationを通じた地域活性化の可能性",
        "2024-10-31",
        None,
        None,
        "online",
        3,
    ),
    (
        "地方創生セミナー ベーシック",
        "これからの公務員副業のあり方",
        "2024-12-18",
        None,
        None,
        "online",
        7,
    ),
    (
        "地方創生実践塾",
        "何もないまちがロケの聖地に",
        "2024-05-31",
        "2024-06-01",
        "綾瀬市",
        "in_person",
        3,
    ),
    (
        "地方創生実践塾",
        "まちあそびイノベーション",
        "2024-08-09",
        "2024-08-10",
        "燕市",
        "in_person",
        2,
    ),
    (
        "地方創生実践塾",
        "官学連携による地域人材育成と農村イノベーション",
        "2024-09-19",
        "2024-09-21",
        "丹波篠山市",
        "in_person",
        4,
    ),
    (
        "地方創生実践塾",
        "「日本一若いまち」の対話、プロセスを重視したまちづくり",
        "2024-10-11",
        "2024-10-12",
        "長久手市",
        "in_person",
        4,
    ),
    ("キャリア開発塾", "キャリア開発塾", "2024-07-01", "2024-07-05", "東京都", "in_person", 1),
]

# (section label as printed, item, settled yen, note)
EXPENDITURE = [
    ("報償費", "講師謝礼", 111_570, ""),
    ("旅費", "普通旅費、費用弁償", 1_643_460, ""),
    ("需用費", "消耗品費、燃料費", 129_705, ""),
    ("役務費", "通信運搬費、手数料", 56_400, ""),
    ("使用料", "会場使用料", 75_066, ""),
    ("備品購入費", "備品購入費", 382_250, ""),
    ("負担金", "研修負担金", 620_000, "外部研修受講負担金"),
]

NARRATIVE_SENTENCES = {
    "overview": [
        "平成25年3月に「第5次置賜広域ふるさと市町村圏計画」を策定し",
        "計画期間：令和5年度から令和14年度",
        "令和元年度からスタートした東京都港区との遠隔自治体間連携",
        "新たな取組として、自治体GX研修会を実施した。",
        "財源は山形県市町村振興協会の「市町村振興共同事業等助成金」を活用して事業を実施している。",
    ],
    "external_training": ["定住自立圏構想に位置付けられる人材の養成を目的に"],
    "summary": [
        "平成27年度から第5次ふるさと市町村圏計画に基づき",
        "交流研修では、ワーケーションに関する基礎的な理解や効果について知るとともに",
        "他地域の参加者との交流を通じて情報交換を行うことができた。",
        "深く感謝申し上げます、報告書の結びとしたい。",
    ],
}


@pytest.fixture
def year(fy2024):
    return fy2024


def activity(year, programme: int, group: int, sub: int = 1) -> Activity:
    return Activity.objects.get(
        group__programme__fiscal_year=year,
        group__programme__number=programme,
        group__number=group,
        sub_number=sub,
    )


def test_union_members_in_order_with_codes(year):
    union = Union.objects.get(organisation__name="置賜広域行政事務組合")
    members = [(m.organisation.name, m.organisation.code) for m in union.membership_set.all()]
    assert members == MEMBERS
    assert union.region_name == "置賜"
    assert year.title == "令和6年度 置賜広域行政事務組合 広域連携事業報告書"


def test_partners_and_other_bodies(year):
    union = year.union
    partners = {(p.organisation.name, p.role, p.basis) for p in union.partnerships.all()}
    assert (
        "港区",
        "remote_partner",
        "遠隔自治体間連携（おきたま×みなと開港プロジェクト）",
    ) in partners
    assert (
        "一般財団法人地域活性化センター",
        "support",
        "地方創生に向けた人材育成に関する連携協定",
    ) in partners
    assert ("山形県市町村振興協会", "funder", "市町村振興共同事業等助成金") in partners
    assert Organisation.objects.get(name="芝地区総合支所").parent.code == "131032"
    assert Organisation.objects.get(name="置賜総合支庁").parent.code == "060003"
    plans = {(p.name, p.first_fiscal_year, p.last_fiscal_year) for p in union.plans.all()}
    assert plans == {
        ("第5次置賜広域ふるさと市町村圏計画", 2013, 2022),
        ("広域行政事務推進基本計画", 2023, 2032),
    }
    assert year.plan.name == "広域行政事務推進基本計画"


@pytest.mark.parametrize(("programme", "name", "group", "title", "activities"), PROGRAMME_ITEMS)
def test_programme_items_and_activities(year, programme, name, group, title, activities):
    found = (
        Activity.objects.filter(
            group__programme__fiscal_year=year,
            group__programme__number=programme,
            group__number=group,
        )
        .select_related("group__programme")
        .order_by("sub_number")
    )
    assert [a.title for a in found] == activities
    assert {a.group.title for a in found} == {title}
    assert {a.group.programme.name for a in found} == {name}


def test_initiatives_lead_municipalities(year):
    for sub, leads in INITIATIVE_LEADS.items():
        initiative = activity(year, 1, 3, sub)
        assert [o.name for o in initiative.leads()] == leads  # in the reference's order


def test_exchange_training(year):
    training = activity(year, 1, 1)
    assert training.theme == "観光とは異なるワーケーションのアプローチ"
    days = list(training.days.all())
    assert [(d.date, d.start_time, d.end_time, d.note) for d in days] == [
        (date(2025, 3, 11), time(13, 30), time(17, 0), ""),
        (date(2025, 3, 12), time(9, 0), time(15, 30), "置賜管内視察"),
    ]
    assert [(v.municipality.name, v.name) for v in days[0].venues.all()] == [
        ("米沢市", "米沢産業会館")
    ]
    assert [(v.municipality.name, v.name) for v in days[1].venues.all()] == [
        ("米沢市", "酒造資料館東光の酒蔵"),
        ("米沢市", "スタジオ八百萬"),
        ("米沢市", "伝国の杜"),
        ("長井市", "旧長井小学校第一校舎"),
    ]
    assert [(lec.organisation_name, lec.title, lec.name) for lec in training.lecturers.all()] == [
        ("地域活性化センター", "シニアフェロー", "箕浦 龍一")
    ]
    assert (
        activity_attendance_phrase(training)
        == "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名"
    )
    assert training.attendee_total == 22
    sections = list(training.sections.all())
    assert [s.heading for s in sections] == [
        "「観光とは異なるワーケーションのアプローチ」",
        "「取組紹介」",
        "「グループワーク」",
        "",
        "「置賜管内視察」(箕浦氏、港区6名、センター2名、置広2名)",
        "「まとめ」",
    ]
    assert len(sections[0].bullet_list) == 7
    assert (
        sections[0]
        .bullet_list[3]
        .startswith("ワーケーションとは、「Work」（価値創造）＋「Innovation」")
    )
    assert sections[1].lead == "港区、南陽市、小国町"
    assert sections[3].kind == "impressions" and len(sections[3].bullet_list) == 7
    assert (
        sections[3].bullet_list[-1] == "地方と都会の価値観を知ることができ、大変良い機会となった。"
    )
    assert "基金活用事業「たまたび」のモニターツアー" in sections[4].bullet_list[0]
    assert sections[5].kind == "summary" and len(sections[5].bullet_list) == 2
    assert training.description.startswith("箕浦龍一氏による講話とワークショップを実施し")


def test_festival(year):
    festival = activity(year, 1, 2)
    assert festival.display_heading == "「ふれ愛まつりだ、芝地区！」"
    assert festival.organiser.name == "芝地区総合支所"
    day = festival.days.get()
    assert (day.date, day.start_time, day.end_time) == (date(2024, 6, 15), time(10), time(15))
    assert [v.name for v in day.venues.all()] == ["港区立芝公園"]
    assert festival.place_summary == "港区芝公園"
    assert (festival.visitor_count, festival.visitors_approximate) == (5100, True)
    assert festival.purpose.startswith("置賜地域ブースを出展し、置賜地域をPR")
    assert "5連けん玉チャレンジ" in festival.description
    assert "置賜の地酒の試飲" in festival.description


@pytest.mark.parametrize(
    ("group", "when", "start", "end", "venue", "lecturer", "phrase", "text"),
    [
        (
            6,
            date(2025, 1, 21),
            time(14),
            time(16, 30),
            "南陽市沖郷公民館",
            ("総務省", "地域情報化アドバイザー", "下山 紗代子"),
            "置賜3市5町、置賜総合支庁 23名",
            "オープンデータの活用方法について学び",
        ),
        (
            7,
            date(2025, 2, 26),
            time(13, 30),
            time(16, 30),
            "千代田クリーンセンター",
            ("一般社団法人ローカルグッド創成支援機構", "事務局長", "稲垣 憲治"),
            "置賜1市5町 16名",
            "自治体GXを推進するために必要となる具体的な手法について学んだ。",
        ),
    ],
)
def test_workshops(year, group, when, start, end, venue, lecturer, phrase, text):
    workshop = activity(year, 2, group)
    day = workshop.days.get()
    assert (day.date, day.start_time, day.end_time) == (when, start, end)
    assert [v.name for v in day.venues.all()] == [venue]
    lec = workshop.lecturers.get()
    assert (lec.organisation_name, lec.title, lec.name) == lecturer
    assert activity_attendance_phrase(workshop) == phrase
    assert workshop.attendance_total == workshop.attendee_total
    assert text in workshop.description


@pytest.mark.parametrize(("series", "title", "first", "last", "place", "mode", "count"), SEMINARS)
def test_seminar_sessions(year, series, title, first, last, place, mode, count):
    session = Activity.objects.get(
        group__programme__fiscal_year=year, title=title, kind="external_seminar"
    )
    assert session.group.heading == series
    assert session.group.provider.name == "一般財団法人地域活性化センター"
    day = session.days.get()
    assert day.date.isoformat() == first
    assert (day.end_date.isoformat() if day.end_date else None) == last
    assert [v.municipality.name for v in day.venues.all()] == ([place] if place else [])
    assert session.delivery_mode == mode
    assert session.attendance_total == count


def test_basic_series_is_online_only(year):
    session = Activity.objects.get(group__programme__fiscal_year=year, title="旅先納税")
    assert session.group.note == "オンラインのみ"


def test_settlement(year):
    income = BudgetLine.objects.get(fiscal_year=year, direction="income")
    assert (income.item, income.settled, income.note) == (
        "広域連携事業費分担金",
        3_018_451,
        "市町村振興共同事業等助成金",
    )
    lines = BudgetLine.objects.filter(fiscal_year=year, direction="expenditure").order_by("order")
    assert [(ln.label, ln.item, ln.settled, ln.note) for ln in lines] == EXPENDITURE
    assert [ln.section.number for ln in lines] == [7, 8, 10, 11, 13, 17, 18]
    statement = statement_for(year)
    assert statement.income_settled == 3_018_451
    assert statement.expenditure_settled == 3_018_451
    assert statement.difference == 0 and statement.balanced


def test_partnership_project(year):
    project = PartnershipProject.objects.get(union=year.union)
    assert project.name == "おきたま×みなと開港プロジェクト"
    assert project.partner.name == "港区"
    assert "「ひと・もの・こと」が行き交う地域創発プラットフォーム" in project.concept
    assert "『おきたま×みなと』を開港します" in project.image_text
    lines = {p.name: [line.text for line in p.lines.all()] for p in project.pillars.all()}
    assert list(lines) == ["ひと", "もの", "こと"]
    assert (
        len(lines["ひと"]) == 6
        and lines["ひと"][3] == "「人と地域をつなぐ事業」と「ご近所イノベーション学校」"
    )
    assert lines["もの"][0] == "全国連携マルシェ in 芝浦" and len(lines["もの"]) == 4
    assert lines["こと"] == [
        "コミュニティライブサイトなど、オリパラを活用した事業",
        "全国連携マルシェin芝浦への出展",
        "区有施設等における置賜PRイベントの開催",
        "民間企業同士の交流推進",
    ]


@pytest.mark.parametrize(("key", "sentences"), NARRATIVE_SENTENCES.items())
def test_narratives(year, key, sentences):
    body = NarrativeSection.objects.get(fiscal_year=year, key=key).body
    for sentence in sentences:
        assert sentence in body


def test_loading_twice_changes_nothing(year):
    from django.apps import apps

    from renkei.operations.seed import load_year_file

    def counts():
        return {
            m._meta.label: m.objects.count()
            for m in apps.get_models()
            if m._meta.app_label in {"tenancy", "programmes", "finance", "audit"}
        }

    before = counts()
    result = load_year_file()
    assert result.created is False
    assert counts() == before


# Who the reference says took part, beyond the counted phrase: 交流研修's 取組紹介 names
# 南陽市 and 小国町 (with 港区); 「置賜3市5町」 of a union of 3 cities and 5 towns is every
# member; 「置賜1市5町」 is every town and one city the reference does not name.
TOOK_PART = {
    "交流研修": ["南陽市", "小国町", "港区", "地域活性化センター", "置賜広域行政事務組合"],
    "自治体DX研修会": [name for name, _code in MEMBERS] + ["置賜総合支庁"],
    "自治体GX研修会": ["高畠町", "川西町", "白鷹町", "小国町", "飯豊町"],
}


def test_no_organisation_is_credited_with_a_count_the_reference_does_not_give(year):
    """The reference gives attendance only as a phrase and a total (and a seminar's total):
    no organisation has a count of its own, and only those the reference names took part."""
    counted = Activity.objects.filter(
        group__programme__fiscal_year=year, attendances__count__isnull=False
    )
    assert not counted.exists()
    took_part = {
        a.title: sorted(x.organisation.label for x in a.attendances.all())
        for a in Activity.objects.filter(
            group__programme__fiscal_year=year, attendances__isnull=False
        ).distinct()
    }
    assert took_part == {title: sorted(names) for title, names in TOOK_PART.items()}
    compositions = {
        a.title: {c.kind: c.number for c in a.compositions.all()}
        for a in Activity.objects.filter(
            group__programme__fiscal_year=year, compositions__isnull=False
        ).distinct()
    }
    assert compositions == {
        "交流研修": {"city": 3, "town": 4},
        "自治体GX研修会": {"city": 1, "town": 5},
    }
