"""The served dashboard: Streamlit's ASGI app plus the two routes that keep a sign-in for a working day.

`cbec serve` runs this file with `streamlit run`; the pages are `app/dashboard.py`. A browser cannot
get an HttpOnly cookie from a Streamlit script, so signing in ends with a redirect to
`/_cbec/session?h=HANDOFF&next=/lab`: the route exchanges the one-time hand-off code for a cookie
token (db.accounts.claim_handoff), sets it signed, HttpOnly and SameSite=Lax, and sends the browser
back. `/_cbec/signout` clears it. Every page reads the cookie through `st.context.cookies`.
Uncaught errors in callbacks show a short message and an incident number (`app.ui.incident`).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from app.ui.incident import show_incident
from app.ui.signing import COOKIE, sign
from db.accounts import SESSION_LENGTH, claim_handoff


def _safe_next(path: str | None) -> str:
    """Only a path on this server may follow a sign-in (no open redirect to another host)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


async def session_route(request: Request) -> RedirectResponse:
    """Exchange a hand-off code for the signed sign-in cookie, then go back to the page that asked."""
    response = RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    token = claim_handoff(request.query_params.get("h", ""))
    if token is not None:
        response.set_cookie(COOKIE, sign(token), max_age=int(SESSION_LENGTH.total_seconds()), path="/",
                            httponly=True, samesite="lax", secure=_secure(request))
    response.headers["Cache-Control"] = "no-store"
    return response


async def signout_route(request: Request) -> RedirectResponse:
    """Forget the sign-in cookie in this browser (the page has already ended the session in the store)."""
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request))
    response.headers["Cache-Control"] = "no-store"
    return response


app = st.App(Path(__file__).with_name("dashboard.py"),
             routes=[Route("/_cbec/session", session_route), Route("/_cbec/signout", signout_route)],
             on_script_error=show_incident)
