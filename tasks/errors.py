"""The one error tree of earnings-lake. Parsers raise, flows decide."""

from __future__ import annotations

NOT_ARCHIVED = "not in the raw archive (reprocess reads only raw/)"  # NotFound reason of an offline rebuild


class EtlError(Exception):
    """Base of every error earnings-lake raises on purpose."""

    @property
    def document(self) -> str:
        """The URL or document the error is about ("" when it is about no single document)."""
        return str(getattr(self, "url", "") or getattr(self, "doc", ""))

    @property
    def why(self) -> str:
        return str(getattr(self, "reason", "") or self)


class ConfigError(EtlError):
    """A setting is missing or wrong; raised before any request is made."""


class UnknownTicker(ConfigError):
    """None of the tickers asked for is in SEC's ticker map."""


class NothingHeld(ConfigError):
    """A quarantine command named a run or dataset that holds nothing back."""


class StoreError(EtlError):
    """The lake's store refused a key (one escaping the lake) or kept losing write races."""


class FetchError(EtlError):
    """A document could not be fetched (after retries)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class NotFound(FetchError):
    """HTTP 404 (never retried), or a document missing from the raw archive."""


class ParseError(EtlError):
    """A document does not have the shape a parser needs."""

    def __init__(self, doc: str, locator: str, reason: str) -> None:
        super().__init__(f"{doc} [{locator}]: {reason}")
        self.doc = doc
        self.locator = locator
        self.reason = reason


class NotANumber(EtlError, ValueError):
    """A text that had to be a number is not one; the caller names the document (ParseError) or skips it."""

    def __init__(self, text: str) -> None:
        super().__init__(f"not a number: {text!r}")
        self.text = text


class NotADate(EtlError, ValueError):
    """A text that had to be a date or time is not one; the caller names the document or drops the field."""

    def __init__(self, text: str) -> None:
        super().__init__(f"not a date: {text!r}")
        self.text = text


class ContractError(EtlError):
    """A frame does not satisfy its dataset contract (columns, types, keys)."""

    def __init__(self, dataset: str, reason: str) -> None:
        super().__init__(f"dataset {dataset!r}: {reason}")
        self.dataset = dataset
        self.reason = reason


class ValidationFailed(EtlError):
    """A batch failed an error-severity expectation and was not published."""

    def __init__(self, dataset: str, reason: str) -> None:
        super().__init__(f"dataset {dataset!r} failed validation: {reason}")
        self.dataset = dataset
        self.reason = reason


class PreconditionFailed(EtlError):
    """A conditional write lost a race (HTTP 412 or local ETag mismatch)."""
