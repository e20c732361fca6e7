"""The statutory expenditure sections (歳出の節, 地方自治法施行規則 別記) as data.

From FY2020 there are 27; before it 07 was 賃金 and every later number was one higher.
"""

SECTIONS_FROM_FY2020 = (
    "報酬",
    "給料",
    "職員手当等",
    "共済費",
    "災害補償費",
    "恩給及び退職年金",
    "報償費",
    "旅費",
    "交際費",
    "需用費",
    "役務費",
    "委託料",
    "使用料及び賃借料",
    "工事請負費",
    "原材料費",
    "公有財産購入費",
    "備品購入費",
    "負担金、補助及び交付金",
    "扶助費",
    "貸付金",
    "補償、補塡及び賠償金",
    "償還金、利子及び割引料",
    "投資及び出資金",
    "積立金",
    "寄附金",
    "公課費",
    "繰出金",
)
SECTIONS_BEFORE_FY2020 = SECTIONS_FROM_FY2020[:6] + ("賃金",) + SECTIONS_FROM_FY2020[6:]
FIRST_KNOWN_FISCAL_YEAR = 1989
CHANGE_FISCAL_YEAR = 2020


def section_rows():
    """(number, name, first_fiscal_year, last_fiscal_year) for both classifications."""
    for number, name in enumerate(SECTIONS_BEFORE_FY2020, start=1):
        yield number, name, FIRST_KNOWN_FISCAL_YEAR, CHANGE_FISCAL_YEAR - 1
    for number, name in enumerate(SECTIONS_FROM_FY2020, start=1):
        yield number, name, CHANGE_FISCAL_YEAR, None


def ensure_sections(model) -> None:
    """Create any missing section rows (idempotent). ``model`` is ExpenditureSection, or the
    historical model inside a migration. Called by the migration and by the year loader,
    since a flushed database (transactional tests) loses rows a migration created."""
    existing = set(model.objects.values_list("number", "first_fiscal_year"))
    model.objects.bulk_create(
        model(number=number, name=name, first_fiscal_year=first, last_fiscal_year=last)
        for number, name, first, last in section_rows()
        if (number, first) not in existing
    )
