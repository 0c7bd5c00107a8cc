"""Inline XBRL facts (scale, sign, formats, dimensions, hardening) and segment revenue sum checks."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from tasks.errors import ParseError
from tasks.xbrl.inline_xbrl import member_label, parse_inline_xbrl
from tasks.xbrl.segments import segment_revenue

HEAD = """<?xml version="1.0" encoding="utf-8"?>
{doctype}<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
 xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:xbrldi="http://xbrl.org/2006/xbrldi"
 xmlns:us-gaap="http://fasb.org/us-gaap/2024" xmlns:srt="http://fasb.org/srt/2024" xmlns:acme="http://acme.example.com/2024"
 xmlns:iso4217="http://www.xbrl.org/2003/iso4217"><body><div style="display:none"><ix:header><ix:resources>
<xbrli:unit id="usd"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>
"""


def context(cid: str, start: str, end: str, *members: tuple[str, str]) -> str:
    segment = "".join(f'<xbrldi:explicitMember dimension="{axis}">{member}</xbrldi:explicitMember>'
                      for axis, member in members)
    return (f'<xbrli:context id="{cid}"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">1</xbrli:identifier>'
            f'{"<xbrli:segment>" + segment + "</xbrli:segment>" if members else ""}</xbrli:entity><xbrli:period>'
            f"<xbrli:startDate>{start}</xbrli:startDate><xbrli:endDate>{end}</xbrli:endDate></xbrli:period></xbrli:context>")


def value(name: str, ctx: str, shown: str, *, scale: int = 6, sign: str = "", fmt: str = "ixt:num-dot-decimal") -> str:
    sign_attr = f' sign="{sign}"' if sign else ""
    return (f'<ix:nonFraction name="{name}" contextRef="{ctx}" unitRef="usd" decimals="-6" scale="{scale}" '
            f'format="{fmt}"{sign_attr}>{shown}</ix:nonFraction>')


PRODUCT = "srt:ProductOrServiceAxis"
SEGMENTS = "us-gaap:StatementBusinessSegmentsAxis"
CONSOLIDATION = ("srt:ConsolidationItemsAxis", "us-gaap:OperatingSegmentsMember")


def document(facts: str, contexts: str, doctype: str = "") -> bytes:
    return (HEAD.format(doctype=doctype) + contexts + "</ix:resources></ix:header></div>" + facts
            + "</body></html>").encode()


def quarter_doc() -> bytes:
    q = ("2024-01-01", "2024-03-31")
    contexts = "".join([
        context("t", *q), context("dc", *q, (PRODUCT, "acme:DataCenterMember")),
        context("comp", *q, (PRODUCT, "acme:ComputeMember")), context("net", *q, (PRODUCT, "acme:NetworkingMember")),
        context("gam", *q, (PRODUCT, "acme:GamingMember")),
        context("cn", *q, (SEGMENTS, "acme:ComputeAndNetworkingSegmentMember"), CONSOLIDATION),
        context("gr", *q, (SEGMENTS, "acme:GraphicsMember"), CONSOLIDATION),
        context("two", *q, (PRODUCT, "acme:GamingMember"), ("srt:StatementGeographicalAxis", "country:US")),
    ])
    facts = "".join([
        value("us-gaap:Revenues", "t", "1,000"), value("us-gaap:Revenues", "dc", "800"),
        value("us-gaap:Revenues", "comp", "700"), value("us-gaap:Revenues", "net", "100"),
        value("us-gaap:Revenues", "gam", "190"), value("us-gaap:Revenues", "cn", "800"),
        value("us-gaap:Revenues", "gr", "200"), value("us-gaap:Revenues", "two", "5"),
        value("us-gaap:OperatingIncomeLoss", "t", "(12.5)", sign="-"),
        value("us-gaap:CostOfRevenue", "t", "—", fmt="ixt:fixed-zero"),
    ])
    return document(facts, contexts)


def test_facts_scale_sign_zero_and_dimensions() -> None:
    facts = parse_inline_xbrl(quarter_doc(), "acme-10q.htm", accession="0001-24-1", form="10-Q",
                              filed=date(2024, 5, 1))
    by = {(r["concept"], r["member"]): r["value"] for r in facts.iter_rows(named=True)}
    assert by[("Revenues", None)] == 1_000_000_000
    assert by[("OperatingIncomeLoss", None)] == -12_500_000
    assert by[("CostOfRevenue", None)] == 0
    assert by[("Revenues", "acme:ComputeAndNetworkingSegmentMember")] == 800_000_000  # operating-segment context
    assert ("Revenues", "country:US") not in by and len([k for k in by if k[1] == "acme:GamingMember"]) == 1
    assert set(facts["unit"]) == {"USD"} and set(facts["accn"]) == {"0001-24-1"}


def test_segments_nested_members_and_a_flagged_mismatch() -> None:
    facts = parse_inline_xbrl(quarter_doc(), "acme-10q.htm", accession="0001-24-1", form="10-Q",
                              filed=date(2024, 5, 1))
    out = segment_revenue(facts, ticker="ACME", cik="0000000001", fiscal_year_end="1231")
    rows = {(r["axis"], r["label"]): r for r in out.iter_rows(named=True)}
    assert rows[(PRODUCT, "Data Center: Compute")]["value"] == 700_000_000
    segments = rows[(SEGMENTS, "Compute and Networking")]
    assert (segments["members_sum"], segments["sums_to_total"], segments["derivation"]) == (
        1_000_000_000, True, "reported_3m")
    # Data Center 800 + Gaming 190 = 990 against a total of 1,000: flagged, kept.
    gaming = rows[(PRODUCT, "Gaming")]
    assert (gaming["value"], gaming["members_sum"], gaming["total_revenue"], gaming["sums_to_total"]) == (
        190_000_000, 990_000_000, 1_000_000_000, False)


def test_external_entities_and_dtds_are_never_loaded() -> None:
    doctype = '<!DOCTYPE html [<!ENTITY leak SYSTEM "file:///etc/hostname">]>'
    body = document(value("us-gaap:Revenues", "t", "&leak;1"), context("t", "2024-01-01", "2024-03-31"), doctype)
    with pytest.raises(ParseError, match=r"evil\.htm .*not a number: '&leak;1'"):  # the entity stays unexpanded
        parse_inline_xbrl(body, "evil.htm", accession="a", form="10-Q", filed=date(2024, 5, 1))


@pytest.mark.parametrize(("body", "reason"), [
    (b"<html><body><p>unclosed</body></html>", "not well-formed inline XBRL"),
    (b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>no xbrl</p></body></html>', "no XBRL contexts"),
])
def test_bad_documents_are_parse_errors_naming_them(body: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=rf"acme-10q\.htm \[[^]]+\]: {reason}"):
        parse_inline_xbrl(body, "acme-10q.htm", accession="a", form="10-Q", filed=date(2024, 5, 1))


def test_unreadable_number_names_fact_and_context() -> None:
    body = document(value("us-gaap:Revenues", "t", "n/a"), context("t", "2024-01-01", "2024-03-31"))
    with pytest.raises(ParseError, match=r"fact us-gaap:Revenues \(t\)\]: not a number: 'n/a'"):
        parse_inline_xbrl(body, "acme-10q.htm", accession="a", form="10-Q", filed=date(2024, 5, 1))


@pytest.mark.parametrize(("member", "label"), [
    ("nvda:ProfessionalVisualizationMember", "Professional Visualization"),
    ("nvda:OEMAndOtherMember", "OEM and Other"),
    ("nvda:ComputeAndNetworkingSegmentMember", "Compute and Networking"),
    ("amzn:AmazonWebServicesSegmentMember", "Amazon Web Services"),
    ("country:US", "US"),
])
def test_member_labels(member: str, label: str) -> None:
    assert member_label(member) == label


def test_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tasks.xbrl.inline_xbrl.MAX_BYTES", 100)
    with pytest.raises(ParseError, match="over the 100-byte limit"):
        parse_inline_xbrl(quarter_doc(), "big.htm", accession="a", form="10-Q", filed=date(2024, 5, 1))
    assert pl.DataFrame().is_empty()
