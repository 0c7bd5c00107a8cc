"""The regular dividend per share a release announces in its text: which sentences count, which amount is the
dividend, and the post-split restatement as a second row."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tasks.earnings.dividends import announced_dividends, regular_dividend, split_adjusted_dividend


@pytest.mark.parametrize(("sentence", "value"), [
    ("Acme will pay its next quarterly cash dividend of $0.37 per share on June 4 to holders of record on May 20.",
     "0.37"),
    ("The board declared a third-quarter dividend of $ 1.12 per share, payable on October 1.", "1.12"),
    ("Zephyr is raising its quarterly dividend from $0.55 per share to $0.60 per share, effective in July.", "0.60"),
    ("Directors approved a quarterly cash dividend of $0.18, payable to holders on July 9.", "0.18"),
    ("The directors declared a quarterly dividend of eighty-two cents ($0.82) per share.", "0.82"),
    ("Our board declared a regular quarterly dividend of 25 cents per share.", "0.25"),
    ("Today the board declared a cash dividend of $0.45 per share of common stock.", "0.45"),
    ("On May 2, Globex announced a cash dividend of $0.15 per share, to be paid in June.", "0.15"),
    ("Compared with a quarterly dividend of $0.30 a year ago, the board declared a quarterly dividend of $0.33 per "
     "share.", "0.33"),
])
def test_a_regular_dividend_and_its_amount(sentence: str, value: str) -> None:
    assert regular_dividend(sentence) == Decimal(value)


@pytest.mark.parametrize("sentence", [
    "The board also declared a special dividend of $3.00 per share payable in December.",
    "Cash dividends of $2.1 billion, or $1.05 per share, were paid in the first nine months.",
    "The board declared a dividend of $2.00 per share, payable in two installments of $1.00 per share.",
    "Quarterly dividends of $4.2 billion were returned to holders.",
    "Diluted earnings per share were $1.37 for the quarter.",
    "Net income rose 9%, compared with the prior quarterly dividend of $0.30 per share.",
])
def test_other_amounts_are_not_a_regular_dividend(sentence: str) -> None:
    assert regular_dividend(sentence) is None


def test_a_post_split_restatement_is_its_own_row() -> None:
    body = (b"<html><body><p>Results for the quarter.</p>"
            b"<p>The board is raising the quarterly dividend from $0.20 per share to $0.30 per share. "
            b"That dividend equals $0.03 per share on a split-adjusted basis.</p></body></html>")
    rows = announced_dividends(body, doc="https://www.sec.gov/x/ex99.htm", exhibit="EX-99.1")
    assert [(r["metric"], r["metric_detail"], r["value"], r["unit"]) for r in rows] == [
        ("dividend", None, Decimal("0.30"), "USD/share"), ("dividend", "split_adjusted", Decimal("0.03"), "USD/share")]
    assert rows[0]["source"].startswith("EX-99.1 text: 'The board is raising the quarterly dividend")
    assert split_adjusted_dividend("That dividend equals $0.03 per share on a split-adjusted basis.") == Decimal("0.03")


def test_a_release_that_announces_no_dividend_gives_no_rows() -> None:
    body = (b"<html><body><p>Revenue was $5.0 billion.</p>"
            b"<p>The prior dividend equals $0.03 per share on a post-split basis.</p></body></html>")
    assert announced_dividends(body, doc="https://www.sec.gov/x/ex99.htm", exhibit="EX-99.1") == []
