"""Figure extraction on passages written for the tests: both Chinese scripts, English, every unit and range."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tasks.entities import load_entities
from tasks.figures import FigureExtractor, cn_number
from tasks.periods import normalise_period

ENTITIES = load_entities()


def figures(text: str, published: str = "2025-02-28") -> list[tuple[str | None, Decimal, Decimal | None, str,
                                                                     str | None]]:
    return [(f.ticker, f.value, f.value_high, f.unit, f.qualifier)
            for f in FigureExtractor(ENTITIES, published=published).extract(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("英偉達本季度收入達393億美元。", [("NVDA", Decimal("39300000000"), None, "USD", None)]),
    ("英伟达本季度收入达393亿美元。", [("NVDA", Decimal("39300000000"), None, "USD", None)]),
    ("微軟市值約3萬億美元。", [("MSFT", Decimal("3000000000000"), None, "USD", "approximately")]),
    ("微软市值超过3万亿美元。", [("MSFT", Decimal("3000000000000"), None, "USD", "more_than")]),
    ("Meta預計2025年會花費1000億-1190億美元。",
     [("META", Decimal("100000000000"), Decimal("119000000000"), "USD", "range")]),
    ("阿里巴巴未來三年投入將達到3800億元。", [("BABA", Decimal("380000000000"), None, "CNY", None)]),
    ("阿里巴巴投入5000億人民幣左右。", [("BABA", Decimal("500000000000"), None, "CNY", "approximately")]),
    ("谷歌營收同比增長93%。", [("GOOGL", Decimal("93"), None, "percent", None)]),
    ("谷歌營收環比16%。", [("GOOGL", Decimal("16"), None, "percent", None)]),
    ("亞馬遜股價暴跌8.5%。", [("AMZN", Decimal("-8.5"), None, "percent", None)]),
    ("英偉達毛利率較上年同期下降了3個百分點。", [("NVDA", Decimal("-3"), None, "percent", None)]),
    ("亚马逊营收增长了45%。", [("AMZN", Decimal("45"), None, "percent", None)]),
    ("OpenAI的銷售團隊已經達到300人。", [(None, Decimal("300"), None, "count", None)]),
    ("英偉達已經連續六個季度超預期。", [("NVDA", Decimal("6"), None, "count", None)]),
    ("微軟DAU環比翻倍。", [("MSFT", Decimal("100"), None, "percent", None)]),
    ("Anthropic的估值倍數幾乎已經減半。", [(None, Decimal("-50"), None, "percent", "nearly")]),
    ("新款芯片占到英偉達數據中心收入的近三分之一。", [("NVDA", Decimal("33.33"), None, "percent", "nearly")]),
    ("OpenAI實現三倍以上的增長。", [(None, Decimal("3"), None, "multiple", "more_than")]),
    ("英偉達股價再度重挫近9%。", [("NVDA", Decimal("-9"), None, "percent", "nearly")]),
    ("NVIDIA reported revenue of $39.3 billion, up 78% from a year ago.",
     [("NVDA", Decimal("39300000000"), None, "USD", None), ("NVDA", Decimal("78"), None, "percent", None)]),
    ("Microsoft spent $1,000 million and about $1.2 trillion.",
     [("MSFT", Decimal("1000000000"), None, "USD", None),
      ("MSFT", Decimal("1200000000000"), None, "USD", "approximately")]),
    ("Meta expects capex of $64 to 72 billion.", [("META", Decimal("64000000000"), Decimal("72000000000"), "USD",
                                                   "range")]),
    ("NVIDIA gross margin fell 50 bps.", [("NVDA", Decimal("-0.5"), None, "percent", None)]),
    ("2025年2月27日下午2:00,一位交易者在3月7日前押注。", []),  # dates, times and "一位" are not figures
])
def test_passages(text: str, expected: list[tuple[str | None, Decimal, Decimal | None, str, str | None]]) -> None:
    assert figures(text) == expected


def test_both_scripts_give_the_same_figures() -> None:
    traditional = "英偉達本季度數據中心業務收入達356億美元,較第三季度增長16%,較去年同期增長93%。"
    simplified = "英伟达本季度数据中心业务收入达356亿美元,较第三季度增长16%,较去年同期增长93%。"
    assert figures(traditional) == figures(simplified)
    [revenue, *_] = FigureExtractor(ENTITIES, published="2025-02-28").extract(traditional)
    assert (revenue.metric, revenue.segment, revenue.period_normalized) == ("segment_revenue", "Data Center",
                                                                          "FY2025Q4")


def test_repeated_body_gives_each_figure_once_and_glosses_do_not_hide_names() -> None:
    text = "英偉達(dá)數(shù)據(jù)中心收入達356億美元。\n英偉達(dá)數(shù)據(jù)中心收入達356億美元。"
    [figure] = FigureExtractor(ENTITIES).extract(text)
    assert (figure.ticker, figure.segment, figure.value) == ("NVDA", "Data Center", Decimal("35600000000"))


def test_groups_of_companies_have_no_ticker() -> None:
    [figure] = FigureExtractor(ENTITIES).extract("谷歌、微軟、Meta總共計劃在2025年花費2150億美元。")
    assert (figure.entity, figure.ticker, figure.metric) == ("Alphabet+Microsoft+Meta", None, "capex_plan")


@pytest.mark.parametrize(("period", "ticker", "expected"), [
    ("2024年Q4", "NVDA", "FY2025Q4"), ("2023年Q4", "NVDA", "FY2024Q4"), ("2024年第四季度", "MSFT", "FY2025Q2"),
    ("2025財年", "MSFT", "FY2025"), ("2025年", "META", "2025"), ("本季度", "NVDA", "FY2025Q4"),
    ("本財年", "NVDA", "FY2026"), ("次日", "NVDA", None),
])
def test_period_normalisation(period: str, ticker: str, expected: str | None) -> None:
    assert normalise_period(period, ENTITIES.by_ticker(ticker), "2025-02-28") == expected


def test_chinese_numerals() -> None:
    assert [cn_number(t) for t in ("三", "十二", "一百", "二十五", "1,234.5")] == [3, 12, 100, 25, Decimal("1234.5")]
