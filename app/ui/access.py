"""Who is using this browser session — a signed-in account or an anonymous visitor — and the sign-in and sign-out.

The actor is kept in the session; a reload finds it again through the signed, HttpOnly cookie that
`app/server.py` sets after sign-in (valid 12 hours, revocable in the store). An organisation with
OIDC (`[auth]` in .streamlit/secrets.toml) signs in with `st.login`; the verified e-mail maps to an
account's role, and an e-mail no account holds gets no role.
"""
from __future__ import annotations

from urllib.parse import quote

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app.i18n import error_text, t
from app.ui.signing import COOKIE, unsign
from db.access import ACTIONS, Actor, PermissionDenied
from db.accounts import (
    SignInFailed,
    actor_for_email,
    end_web_session,
    has_admin,
    resume_web_session,
    sign_in,
    start_web_session,
)
from db.engine import StoreUnavailable
from db.throttle import Throttled

ACTOR = "actor"
FIRST_ADMIN = "cbec users add NAME --role admin"


def client_address() -> str | None:
    """The browser's address as Streamlit knows it (behind a proxy: the proxy's, unless it forwards it)."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - outside a served session there is no address
        return None
    return address if isinstance(address, str) else None  # AppTest hands out a stand-in object


def session_key() -> str:
    """This browser session's id: the unit throttling counts failures against."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "no-session"


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets.toml at all
        return False


def _resume() -> Actor:
    """The actor from the sign-in cookie or an OIDC sign-in, else an anonymous visitor."""
    client = client_address()
    token = unsign(st.context.cookies.get(COOKIE))
    actor = resume_web_session(token, client=client) if token else None
    if actor is None and _oidc_configured() and st.user.is_logged_in:
        actor = actor_for_email(st.user.get("email"), client=client)
    return actor or Actor.anonymous(client)


def current_actor() -> Actor:
    """Who is using this session (read from the cookie once per session, then kept)."""
    if ACTOR not in st.session_state:
        st.session_state[ACTOR] = _resume()
    return st.session_state[ACTOR]


def role_label(role: str | None, L: str) -> str:
    return t(f"role_{role}", L) if role else "—"


def roles_for(action: str, L: str) -> str:
    return t("roles_or", L).join(role_label(r, L) for r in sorted(ACTIONS[action]))


def _redirect(url: str) -> None:
    """Send the browser to a URL of this server (Streamlit's own mechanism for st.login's redirects)."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        message = ForwardMsg()
        message.auth_redirect.url = url
        ctx.enqueue(message)


def _try_sign_in(name: str, password: str, L: str, next_path: str) -> None:
    if not name.strip() or not password:
        st.error(t("signin_missing", L))
        return
    try:
        actor = sign_in(name, password, client=client_address(), session_key=session_key())
        handoff = start_web_session(actor)
    except SignInFailed:
        st.error(t("signin_failed", L))
    except Throttled as exc:
        st.error(t("store_throttled", L, seconds=exc.seconds))
    except StoreUnavailable:
        st.error(t("store_unavailable", L))
    else:
        st.session_state[ACTOR] = actor
        _redirect(f"/_cbec/session?h={quote(handoff)}&next={quote(next_path)}")
        st.success(t("signin_ok", L, name=actor.name, role=role_label(actor.role, L)))


def signin_form(L: str, next_path: str) -> None:
    """The sign-in form (and OIDC's button when configured); on success this session is signed in at once."""
    try:
        no_admin = not has_admin()
    except StoreUnavailable:
        st.error(t("store_unavailable", L))
        return
    if no_admin:
        st.info(t("signin_no_admin", L, command=FIRST_ADMIN, docker_command=f"docker exec -it cbec /app/.venv/bin/{FIRST_ADMIN}"),
                icon=":material/admin_panel_settings:")
    with st.form("signin", enter_to_submit=False):
        name = st.text_input(t("username", L), max_chars=64, key="signin_name", autocomplete="username")
        password = st.text_input(t("password", L), type="password", max_chars=200, key="signin_password",
                                 autocomplete="current-password")
        pressed = st.form_submit_button(t("signin_button", L), type="primary")
    if pressed:
        _try_sign_in(name, password, L, next_path)
    if _oidc_configured():
        if st.user.is_logged_in and current_actor().role is None:
            st.warning(t("signin_oidc_no_role", L, email=st.user.get("email", "")))
        elif st.button(t("signin_oidc", L), key="signin_oidc"):
            st.login()


def gate(action: str, L: str, next_path: str) -> None:
    """What a protected URL shows to someone without the role: the sign-in, or why their role is not enough."""
    actor = current_actor()
    st.title(t("signin_title", L))
    if actor.signed_in:
        st.warning(t("signin_wrong_role", L, name=actor.name, role=role_label(actor.role, L), roles=roles_for(action, L)))
        return
    st.write(t("signin_needed", L, roles=roles_for(action, L)))
    signin_form(L, next_path)


def sidebar_account(L: str) -> None:
    """Who is signed in, and the sign-out, in the sidebar."""
    actor = current_actor()
    if not actor.signed_in:
        return
    st.sidebar.markdown(t("signed_in_as", L, name=actor.name, role=role_label(actor.role, L)))
    if st.sidebar.button(t("signout", L), key="signout", icon=":material/logout:"):
        end_web_session(unsign(st.context.cookies.get(COOKIE)), actor)
        st.session_state[ACTOR] = Actor.anonymous(actor.client)
        if _oidc_configured() and st.user.is_logged_in:
            st.logout()
        _redirect("/_cbec/signout")


def refusal(exc: Exception, L: str) -> str:
    """A store error from an action in the reader's language; a refusal names the roles that may, in words."""
    if isinstance(exc, PermissionDenied):
        return t("permission_denied", L, roles=roles_for(exc.action, L))
    return error_text(exc, L)

