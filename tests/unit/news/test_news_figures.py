"""What a news figure is: value, unit, company, metric, segment, basis and period, on passages written for the
tests (English, Traditional and Simplified Chinese)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tasks.news.entities import Entity, EntityIndex, load_entities
from tasks.news.figures import Figure, FigureExtractor
from tasks.news.news_periods import label, mentions
from tasks.news.news_text import fold

SEGMENTS = {"NVDA": ["Data Center", "Gaming"], "AMZN": ["AWS", "North America"]}
ENTITIES = load_entities().with_segments(SEGMENTS)


def extract(text: str, published: str = "2025-03-10") -> list[Figure]:
    return FigureExtractor(ENTITIES, published=published).extract(text)


def brief(text: str, published: str = "2025-03-10") -> list[tuple[object, ...]]:
    return [(f.ticker, f.metric, f.segment, f.period_normalized, f.value, f.unit, f.qualifier)
            for f in extract(text, published)]


@pytest.mark.parametrize(("text", "expected"), [
    ("亞馬遜上季度營收約1,550億美元。", [("AMZN", "revenue", None, "FY2024Q3", Decimal("155000000000"), "USD",
                                   "approximately")]),
    ("亚马逊上季度营收约1,550亿美元。", [("AMZN", "revenue", None, "FY2024Q3", Decimal("155000000000"), "USD",
                                   "approximately")]),
    ("Meta表示明年資本開支將達到700億-750億美元。",
     [("META", "capex_plan", None, "2026", Decimal("70000000000"), "USD", "range")]),
    ("Alphabet's revenue grew 12% from a year ago in the fourth quarter of 2024.",
     [("GOOGL", "revenue_growth_yoy", None, "FY2024Q4", Decimal("12"), "percent", None)]),
    ("Microsoft revenue rose 4% sequentially in the latest quarter.", [("MSFT", "revenue_growth_qoq", None, "FY2025Q2", Decimal("4"),
                                                  "percent", None)]),
    ("英偉達遊戲業務本季度收入為29億美元,環比下降7%。",
     [("NVDA", "segment_revenue", "Gaming", "FY2025Q4", Decimal("2900000000"), "USD", None),
      ("NVDA", "segment_revenue_growth_qoq", "Gaming", "FY2025Q4", Decimal("-7"), "percent", None)]),
    ("亚马逊AWS本季度收入288亿美元,同比增长19%。",
     [("AMZN", "segment_revenue", "AWS", "FY2024Q4", Decimal("28800000000"), "USD", None),
      ("AMZN", "segment_revenue_growth_yoy", "AWS", "FY2024Q4", Decimal("19"), "percent", None)]),
    ("微軟毛利率較上年同期收窄了2個百分點。",
     [("MSFT", "gross_margin_change_yoy", None, None, Decimal("-2"), "percent", None)]),
    ("Meta股價收跌4.2%。", [("META", "stock_price_change", None, None, Decimal("-4.2"), "percent", None)]),
    ("分析師預期谷歌今年資本支出為620億美元。",
     [("GOOGL", "capex_plan_estimate", None, "2025", Decimal("62000000000"), "USD", None)]),
    ("某基金憑借一年31.5%的收益率排名靠前,英偉達是其重倉股。",
     [(None, "fund_return", None, None, Decimal("31.5"), "percent", None)]),
    ("NVIDIA's share price was $120 now, 5% below its peak.",
     [("NVDA", "stock_price", None, None, Decimal("120"), "USD", None),
      ("NVDA", "stock_price_change", None, None, Decimal("5"), "percent", None)]),
    # a dividend raise is measured from the dividend before it, not from a year before
    ("Microsoft is increasing its quarterly dividend by 8% to $0.90 per share.",
     [("MSFT", "dividend_growth_qoq", None, "FY2025Q2", Decimal("8"), "percent", None),
      ("MSFT", "dividend", None, "FY2025Q2", Decimal("0.90"), "USD", None)]),
    ("Meta expects full-year operating expenses to grow in the mid- to upper-20% range.",
     [("META", "operating_expenses_guidance", None, "FY2025", Decimal("20"), "percent", "verbal_mid_to_upper")]),
    ("Amazon raised its quarterly cash dividend 12% to 28 cents a share.",
     [("AMZN", "dividend_growth_qoq", None, "FY2024Q4", Decimal("12"), "percent", None),
      ("AMZN", "dividend", None, "FY2024Q4", Decimal("0.28"), "USD", None)]),
])
def test_what_a_figure_is(text: str, expected: list[tuple[object, ...]]) -> None:
    assert brief(text) == expected


def test_beats_requirements_streaks_and_peaks() -> None:
    text = ("英偉達已連續四個季度跑贏指引,本季度收入比此前指引高出15億美元。"
            "下個季度它需要高於指引10億美元以上才算過關。營收增速已從峰值的120%放緩。")
    got = [(f.metric, f.value, f.period_normalized) for f in extract(text)]
    assert got == [("guidance_beat_streak", Decimal(4), None),
                   ("guidance_beat", Decimal("1500000000"), "FY2025Q4"),
                   ("guidance_beat_required", Decimal("1000000000"), "FY2026Q1"),
                   ("revenue_growth_yoy_peak", Decimal(120), None)]


def test_a_starting_value_belongs_to_the_period_before() -> None:
    [start, end] = extract("OpenAI預計今年收入將從50億美元增長到110億美元。")
    assert (start.metric, start.period_normalized) == ("revenue", "2024")
    assert (end.metric, end.period_normalized) == ("revenue_guidance", "2025")


def test_shares_contributions_and_the_present() -> None:
    text = "這款芯片占到公司數據中心收入的四分之一。Azure的增長中AI貢獻了8個百分點。成本從2022年5月的10美元降到現在的2美元。"
    got = [(f.metric, f.value, f.period_normalized) for f in extract(text)]
    assert got == [("share", Decimal("25.00"), None), ("growth_contribution", Decimal(8), None),
                   ("cost", Decimal(10), "2022-05"), ("cost", Decimal(2), None)]


def test_results_page_periods_bases_tolerances_and_sections() -> None:
    page = "\n".join([
        "Quarterly revenue reached a record $12.4 billion, up 9% from Q3",
        "For its fourth quarter, which closed January 26, 2025, NVIDIA posted revenue of $12.4 billion.",
        "Gross margins under GAAP and non-GAAP measures came to 70.1% and 71.2%, respectively.",
        "Our outlook for the first quarter of fiscal 2026:",
        "Revenue should come in at $14.0 billion, plus or minus 2%.",
        "Operating expenses under GAAP and non-GAAP measures should run about $2.1 billion and $1.5 billion, "
        "respectively.",
        "Highlights",
        "Gaming",
        "Fourth-quarter revenue came to $1.1 billion, down 3% from a year ago. Revenue for the full year climbed 8% "
        "to $4.4 billion.",
    ])
    got = [(f.metric, f.segment, f.basis, f.period_normalized, f.value, f.qualifier, f.tolerance)
           for f in extract(page, published="2025-02-26")]
    assert got == [
        ("revenue", None, None, "FY2025Q4", Decimal("12400000000"), None, None),
        ("revenue_growth_qoq", None, None, "FY2025Q4", Decimal(9), None, None),
        ("revenue", None, None, "FY2025Q4", Decimal("12400000000"), None, None),
        ("gross_margin", None, "gaap", "FY2025Q4", Decimal("70.1"), None, None),
        ("gross_margin", None, "non_gaap", "FY2025Q4", Decimal("71.2"), None, None),
        ("revenue_guidance", None, None, "FY2026Q1", Decimal("14000000000"), "plus_minus", "2%"),
        ("operating_expenses_guidance", None, "gaap", "FY2026Q1", Decimal("2100000000"), "approximately", None),
        ("operating_expenses_guidance", None, "non_gaap", "FY2026Q1", Decimal("1500000000"), "approximately",
         None),
        ("segment_revenue", "Gaming", None, "FY2025Q4", Decimal("1100000000"), None, None),
        ("segment_revenue_growth_yoy", "Gaming", None, "FY2025Q4", Decimal(-3), None, None),
        ("segment_revenue_growth_yoy", "Gaming", None, "FY2025", Decimal(8), None, None),
        ("segment_revenue", "Gaming", None, "FY2025", Decimal("4400000000"), None, None),
    ]


def test_both_scripts_read_alike_and_quotes_keep_the_article_text() -> None:
    traditional = "英偉達(dá)數據中心業務本季度收入達300億美元,較上一季度增長10%,較去年同期增長80%。"
    simplified = "英伟达数据中心业务本季度收入达300亿美元,较上一季度增长10%,较去年同期增长80%。"
    one, two = extract(traditional), extract(simplified)
    assert [(f.metric, f.segment, f.period_normalized, f.value) for f in one] == \
        [(f.metric, f.segment, f.period_normalized, f.value) for f in two] == [
            ("segment_revenue", "Data Center", "FY2025Q4", Decimal("30000000000")),
            ("segment_revenue_growth_qoq", "Data Center", "FY2025Q4", Decimal(10)),
            ("segment_revenue_growth_yoy", "Data Center", "FY2025Q4", Decimal(80))]
    assert one[0].quote == "英偉達(dá)數據中心業務本季度收入達300億美元"  # as printed, gloss and all


def test_companies_in_examples_do_not_make_a_group_and_groups_have_no_ticker() -> None:
    [one] = extract("微軟AI服務(如 Azure AI、OpenAI接口)為雲業務貢獻了6個百分點增長。")
    assert one.ticker == "MSFT"
    [group] = extract("谷歌、微軟和Meta今年合計計劃投入2000億美元。")
    assert (group.entity, group.ticker, group.metric) == ("Alphabet+Microsoft+Meta", None, "capex_plan")


def test_dates_times_and_articles_are_not_figures() -> None:
    assert extract("2025年1月8日上午10:30,一名分析師在3月21日前發布了一份報告。") == []
    assert extract("Shares were bought on January 6, 2025 by 1X, a robotics firm.") == []


@pytest.mark.parametrize(("text", "ticker", "published", "expected"), [
    ("2024年Q4", "NVDA", "2025-03-10", "FY2025Q4"), ("2024年第四季度", "MSFT", "2025-03-10", "FY2025Q2"),
    ("2025財年", "MSFT", "2025-03-10", "FY2025"), ("本季度", "NVDA", "2025-03-10", "FY2025Q4"),
    ("本財年", "NVDA", "2025-03-10", "FY2026"), ("明年", "META", "2025-03-10", "2026"),
    ("the second quarter of fiscal 2026", "NVDA", "2025-03-10", "FY2026Q2"),
    ("quarter ended July 28, 2024", "NVDA", "2024-08-28", "FY2025Q2"), ("Q3 FY25", "NVDA", "2024-11-20", "FY2025Q3"),
    ("第三財季", "MSFT", "2025-05-01", "FY2025Q3"), ("2019年至2023年", "NVDA", "2025-03-10", "2019-2023"),
    ("2024年11月", "NVDA", "2025-03-10", "2024-11"), ("4月2日", "NVDA", "2025-03-10", "2025-04-02"),
])
def test_period_labels(text: str, ticker: str, published: str, expected: str) -> None:
    from datetime import date

    [mention] = mentions(fold(text).text)
    entity = ENTITIES.by_ticker(ticker)
    assert label(mention, entity.fiscal_year_end if entity else None, date.fromisoformat(published)) == expected


def test_comparison_periods_are_bases_not_the_figures_period() -> None:
    found = mentions(fold("較第三季度增長,比去年同期,上一季度展望").text)
    assert [m.base for m in found] == [True, True, True]


def test_a_wire_story_consensus_ranges_forward_quarters_cents_and_the_year_before() -> None:
    entities = load_entities().with_segments({"META": ["Family of Apps", "Reality Labs"]})
    story = ("Meta said revenue in the three months to December 31 rose 20% to $48.0 billion from $40.0 billion a "
             "year earlier, above the average analyst estimate of $47.0 billion. Earnings were $8.00 per share, "
             "compared with $5.50 a year earlier. Reality Labs posted an operating loss of $5.0 billion. "
             "Meta expects first-quarter revenue between $40.0 billion and $42.0 billion. Shares rose 2% after "
             "hours. Net income rose to $20.0 billion, or 79 cents a share, from $14.0 billion, or 55 cents a share, "
             "a year earlier.")
    got = [(f.metric, f.segment, f.period_normalized, f.value, f.value_high)
           for f in FigureExtractor(entities, published="2025-01-30").extract(story)]
    assert got == [
        ("revenue_growth_yoy", None, "FY2024Q4", Decimal(20), None),
        ("revenue", None, "FY2024Q4", Decimal("48000000000"), None),
        ("revenue", None, "FY2023Q4", Decimal("40000000000"), None),
        ("revenue_estimate", None, "FY2024Q4", Decimal("47000000000"), None),
        ("eps", None, "FY2024Q4", Decimal("8.00"), None),
        ("eps", None, "FY2023Q4", Decimal("5.50"), None),
        ("operating_income", "Reality Labs", "FY2024Q4", Decimal("-5000000000"), None),
        ("revenue_guidance", None, "FY2025Q1", Decimal("40000000000"), Decimal("42000000000")),
        ("stock_price_change", None, None, Decimal(2), None),
        ("net_income", None, "FY2024Q4", Decimal("20000000000"), None),
        ("eps", None, "FY2024Q4", Decimal("0.79"), None),
        ("net_income", None, "FY2023Q4", Decimal("14000000000"), None),
        ("eps", None, "FY2023Q4", Decimal("0.55"), None),
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("亞馬遜2024年前三季度營收為4500億美元。", "2024-9M"), ("微软今年上半年资本支出为300亿美元。", "H1"),
    ("For the first nine months of 2024, Alphabet's revenue was $250 billion.", "2024-9M"),
    ("Amazon's trailing twelve-month capital expenditures reached $100 billion.", "TTM"),
])
def test_parts_of_a_year_are_not_the_year(text: str, expected: str) -> None:
    [figure] = extract(text)
    assert figure.period_normalized == expected


def test_a_product_line_names_its_company_but_is_not_its_total() -> None:
    got = [(f.ticker, f.metric, f.value) for f in extract(
        "Azure and other cloud services revenue grew 31%. Microsoft revenue rose 12% to $69.6 billion.")]
    assert got == [("MSFT", "product_revenue_growth_yoy", Decimal(31)), ("MSFT", "revenue_growth_yoy", Decimal(12)),
                   ("MSFT", "revenue", Decimal("69600000000"))]


def test_headline_magnitudes_trailing_consensus_and_one_company_per_figure() -> None:
    got = [(f.ticker, f.metric, f.value) for f in extract(
        "Nvidia revenue hit $40.1B, beating the $39.0B consensus; Meta plans $70bn of capex and Microsoft $85 bln. "
        "The 4 M&A deals closed.")]
    assert got == [("NVDA", "revenue", Decimal("40100000000")), ("NVDA", "revenue_estimate", Decimal("39000000000")),
                   ("META", "capex_plan", Decimal("70000000000")), ("MSFT", "capex_plan", Decimal("85000000000"))]


def test_each_sentence_names_its_own_measure_and_a_possessive_period_owns_its_figure() -> None:
    story = ("Alphabet shares jumped 6% after Google Cloud revenue of $13 billion rose 28%. The company returned "
             "$20 billion to shareholders. 谷歌云本季度营收130亿美元,增速较上季度的32%放缓,低于分析师预期的135亿美元。")
    got = [(f.metric, f.segment, f.period_normalized, f.value) for f in extract(story, published="2025-02-06")]
    assert got == [
        ("stock_price_change", None, None, Decimal(6)),
        ("segment_revenue", "Google Cloud", None, Decimal("13000000000")),
        ("segment_revenue_growth_yoy", "Google Cloud", None, Decimal(28)),
        ("capital_return", None, None, Decimal("20000000000")),  # not revenue carried over from the sentence before
        ("segment_revenue", "Google Cloud", "FY2024Q4", Decimal("13000000000")),
        ("segment_revenue_growth_yoy", "Google Cloud", "FY2024Q3", Decimal(32)),  # last quarter's own growth rate
        ("segment_revenue_estimate", "Google Cloud", "FY2024Q4", Decimal("13500000000")),
    ]


def test_release_phrasing_lines_of_business_changes_and_losses_are_not_totals() -> None:
    story = ("Acme Widgets booked a GAAP loss per share of ($1.20). Widget Services revenue came to $2.0 billion. "
             "Subscription revenue grew 9%. Pricing added an increase of $150 million to revenues. "
             "Quarterly net sales climbed 4.0 percent, to $30.50 billion from $29.33 billion last year. "
             "Net income came to $900 million, or $2.00 per diluted share, versus $800 million, or $1.78 per diluted "
             "share, last year. Without currency moves, revenues totaled $31.0 billion.")
    entities = EntityIndex([Entity("Acme Widgets", "ACME", None, "1231", ("Acme Widgets",))])
    got = [(f.metric, f.period_normalized, f.value)
           for f in FigureExtractor(entities, published="2025-02-10").extract(story)]
    assert got == [
        ("eps", None, Decimal("-1.20")),
        ("product_revenue", None, Decimal("2000000000")),
        ("product_revenue_growth_yoy", None, Decimal(9)),
        ("revenue_change_amount", None, Decimal("150000000")),
        ("net_sales_growth_yoy", "FY2024Q4", Decimal("4.0")),
        ("net_sales", "FY2024Q4", Decimal("30500000000")),
        ("net_sales", "FY2023Q4", Decimal("29330000000")),
        ("net_income", "FY2024Q4", Decimal("900000000")),
        ("eps", "FY2024Q4", Decimal("2.00")),
        ("net_income", "FY2023Q4", Decimal("800000000")),
        ("eps", "FY2023Q4", Decimal("1.78")),
        ("revenue_adjusted", "FY2024Q4", Decimal("31000000000")),
    ]



def test_a_product_named_before_its_segment_is_the_products_figure() -> None:
    # the entity file names GeForce a product line and Gaming a segment: 'GeForce Gaming revenue' is the product's
    product = brief("NVIDIA's GeForce Gaming revenue grew 12% sequentially in the quarter.")
    assert [m for _, m, *_ in product] == ["product_revenue_growth_qoq"]
    segment = brief("NVIDIA's Gaming revenue grew 12% sequentially in the quarter, led by GeForce.")
    assert [(m, seg) for _, m, seg, *_ in segment] == [("segment_revenue_growth_qoq", "Gaming")]


@pytest.mark.parametrize("text", ["英偉達第二財季GAAP毛利率為72.4%，非GAAP毛利率為72.7%。",
                                  "英伟达第二财季GAAP毛利率为72.4%，非GAAP毛利率为72.7%。",
                                  "NVIDIA's GAAP gross margin was 72.4% and its non-GAAP gross margin 72.7% in the quarter."])
def test_each_figure_takes_the_basis_written_since_the_figure_before_it(text: str) -> None:
    figures = extract(text, published="2025-08-28")
    assert [(f.metric, f.basis, f.value) for f in figures] == [
        ("gross_margin", "gaap", Decimal("72.4")), ("gross_margin", "non_gaap", Decimal("72.7"))]
