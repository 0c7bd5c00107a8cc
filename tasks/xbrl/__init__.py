"""XBRL: companyfacts JSON and inline XBRL facts → financials_quarterly (YTD → quarter, Q4 = FY − 9M),
segment_revenue and capex; the bulk companyfacts.zip loader."""
