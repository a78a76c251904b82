"""The workshop's join link as phones in the room must open it: from the public address the operator configured
(`CBEC_PUBLIC_URL`, or `cbec serve --public-url`), else from the facilitator's browser address; and whether that
link points at this computer only (a loopback address, which no phone can reach).

No Streamlit here: `cbec serve` checks its option with `check_public_url` before the pages' libraries load.
"""
from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlencode, urlsplit, urlunsplit

PUBLIC_URL_ENV = "CBEC_PUBLIC_URL"
JOIN_PATH = "workshop_join"  # the join page's url_path in app/dashboard.py
EXAMPLE = "http://192.168.1.20:8501"  # what a public address looks like in a room: the laptop's LAN address and port


def check_public_url(value: str) -> str:
    """The dashboard's public address as participants open it (http or https, a host, an optional port and path),
    without a trailing slash; ValueError naming the setting and an example when it is not one."""
    text = value.strip()
    parts = urlsplit(text)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok or parts.query or parts.fragment:
        raise ValueError(f"{PUBLIC_URL_ENV} must be the address participants open, such as {EXAMPLE} "
                         f"or https://bench.example.org (no query); got '{value}'")
    return text.rstrip("/")


def public_url() -> str | None:
    """The configured public address (`CBEC_PUBLIC_URL`), checked; None when it is not set."""
    value = os.environ.get(PUBLIC_URL_ENV, "").strip()
    return check_public_url(value) if value else None


def join_link(code: str, page_url: str | None, lang: str | None = None, public: str | None = None) -> str:
    """The join page's address with the code (and the facilitator's language, so participants open in it):
    under the public address when one is configured, else beside the current page's URL, else relative."""
    query = urlencode({"code": code} | ({"lang": lang} if lang else {}))
    if public:
        return f"{public}/{JOIN_PATH}?{query}"
    if page_url:
        parts = urlsplit(page_url)
        if parts.scheme and parts.netloc:
            base = parts.path.rsplit("/", 1)[0] if "/" in parts.path else ""
            return urlunsplit((parts.scheme, parts.netloc, f"{base}/{JOIN_PATH}", query, ""))
    return f"{JOIN_PATH}?{query}"


def loopback_host(link: str) -> str | None:
    """The link's host when it names this computer only (localhost, 127.0.0.0/8, ::1, 0.0.0.0), else None."""
    host = urlsplit(link).hostname
    if not host:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return host
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    return host if address.is_loopback or address.is_unspecified else None
