"""Earnings releases (8-K EX-99 exhibits and newsroom pages) → guidance and actuals rows, and guidance vs
actual. Pure parsing: bytes in, rows out; the reviewed vocabulary is ``schemas/release_vocabulary.yaml``."""
