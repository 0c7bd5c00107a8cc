"""News: feeds → archived articles (``reading``), figures found in English and Chinese text, and their check
against the filings (``claim_checks``, ``reconcile``). Vocabulary: ``schemas/news_vocabulary.yaml``."""
