"""The lake: the object store (local folder or S3), the layout and upserts (``lake``; keys and Parquet encoding in
``layout``), publishing through the contract, quarantine, the parse cache and batch fingerprints (``incremental``),
and the readers (dataset information, DuckDB views, the HTML report)."""
