"""Fetching: the one HTTP funnel (``http_client``: rate limit, User-Agent, retries), where requests may and do go
(``routes``: host allowlist, mirror mapping), what one exchange gives (``responses``: size and time caps,
Retry-After), the machine-wide SEC budget (``governor``, ``global_limit``), the fetch-through raw archive
(``source``) and RSS/Atom feeds. The only stage that imports ``requests``."""
