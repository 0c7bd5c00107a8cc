"""Contracts of the EDGAR filing list and of the parse-issue log."""

from __future__ import annotations

import polars as pl

from schemas.contract import DatasetContract

DOCUMENT = pl.Struct({"seq": pl.String, "type": pl.String, "description": pl.String, "name": pl.String,
                      "url": pl.String, "size": pl.Int64, "archived": pl.Boolean})

FILINGS = DatasetContract(
    name="filings",
    version=1,
    columns={
        "ticker": pl.String(),
        "cik": pl.String(),
        "company": pl.String(),
        "accession": pl.String(),
        "form": pl.String(),
        "items": pl.List(pl.String()),
        "filed_date": pl.Date(),
        "accepted_at": pl.Datetime("us", "UTC"),
        "report_date": pl.Date(),
        "filed_year": pl.Int32(),
        "fiscal_year": pl.Int32(),
        "fiscal_period": pl.String(),
        "fiscal_period_basis": pl.String(),
        "primary_document": pl.String(),
        "primary_document_url": pl.String(),
        "index_url": pl.String(),
        "documents": pl.List(DOCUMENT),
        "source_url": pl.String(),
    },
    primary_key=("accession", "ticker"),
    partition_by=("ticker", "filed_year"),
    lineage=("source_url", "index_url"),
    not_null=("cik", "form", "filed_date", "source_url"),
    description="SEC filings of the watched companies (earnings 8-Ks, 10-Qs, 10-Ks) with their documents.",
)

PARSE_ISSUES = DatasetContract(
    name="parse_issues",
    version=1,
    columns={
        "ticker": pl.String(),
        "accession": pl.String(),
        "doc": pl.String(),
        "stage": pl.String(),
        "locator": pl.String(),
        "reason": pl.String(),
    },
    primary_key=("ticker", "doc", "stage", "locator"),
    partition_by=("ticker",),
    lineage=("doc",),
    not_null=("reason",),
    description="Documents (or parts) that could not be fetched or parsed, with the reason.",
)
