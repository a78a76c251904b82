"""A Streamlit client without a browser: Streamlit's own websocket protocol (`/_stcore/stream`, BackMsg/ForwardMsg).

It does what the frontend does, and no more: a BackMsg `rerun_script` carrying a ClientState (query string, page,
the widget states the user set), then reads the ForwardMsgs of that run — deltas (elements), `new_session`,
`auto_rerun` (a fragment's run_every), `script_finished` — until the run ends. Widgets are found by the user key
their element id ends with (`$$ID-<hash>-<key>`) or by label; a form is submitted by setting its widgets and the
submit button's trigger in one rerun, as the frontend does when the button is pressed. Used by bench/room_load.py
and the replica tests, so one load generator process can play many participants.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
WIDGETS = {"button", "checkbox", "number_input", "radio", "selectbox", "slider", "text_input", "download_button"}


class ProtocolError(RuntimeError):
    """A run that did not end as a user would expect: an exception on the page, a timeout, a closed socket."""


@dataclass
class Run:
    """The elements one script run drew, in order, as (kind, proto) pairs, and how long it took."""

    elements: list[tuple[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def of(self, kind: str) -> list[Any]:
        return [proto for k, proto in self.elements if k == kind]

    def texts(self) -> list[str]:
        """Every heading, markdown, alert and metric body (what a reader sees as text)."""
        return [getattr(proto, "body", "") for kind, proto in self.elements
                if kind in {"heading", "markdown", "alert", "metric"}]

    def alerts(self, fmt: int) -> list[str]:
        return [a.body for a in self.of("alert") if a.format == fmt]

    def problems(self) -> list[str]:
        """Exceptions drawn on the page (a bug) — never expected in a healthy run."""
        return [f"{e.type}: {e.message}" for e in self.of("exception")]


class Session:
    """One browser tab's worth of Streamlit session over a websocket."""

    def __init__(self, base_url: str, page: str = "", query: str = "", timeout: float = 120.0) -> None:
        self.url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.page, self.query, self.timeout = page, query, timeout
        self.page_hash = ""
        self.widgets: dict[str, tuple[str, Any]] = {}  # element id -> (kind, proto), from the last full run
        self.states: dict[str, WidgetState] = {}  # what the user has set, sent with every rerun as the frontend does
        self.fragments: dict[str, float] = {}  # fragment id -> run_every seconds (from auto_rerun messages)
        self.ws = None

    async def __aenter__(self) -> Session:
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout,
                                           ping_interval=None)
        return self

    async def __aexit__(self, *_exc) -> None:
        await self.ws.close()

    async def open(self) -> Run:
        """Load the page (the browser's first rerun request after the socket opens)."""
        return await self.rerun()

    async def rerun(self, fragment_id: str = "") -> Run:
        """Send the widget states (triggers once) and wait for the run to finish; its elements."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = "" if self.page_hash else self.page
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        state.widget_states.widgets.extend(self.states.values())
        for key in [k for k, s in self.states.items() if s.WhichOneof("value") == "trigger_value"]:
            del self.states[key]
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = await asyncio.wait_for(self._read_run(partial=bool(fragment_id)), self.timeout)
        run.seconds = time.perf_counter() - start
        if run.problems():
            raise ProtocolError("; ".join(run.problems()))
        return run

    async def _read_run(self, partial: bool) -> Run:
        run = Run()
        while True:
            data = await self.ws.recv()
            msg = ForwardMsg.FromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                run = Run()  # a run (re)started: what came before belongs to an abandoned run
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                run.elements.append((which, getattr(element, which)))
            elif kind == "navigation":  # st.navigation says which page this run drew
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "auto_rerun":
                self.fragments[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise ProtocolError("the page did not compile")
                if status in DONE:
                    if not partial:
                        self.widgets = {p.id: (k, p) for k, p in run.elements if k in WIDGETS}
                    else:
                        self.widgets |= {p.id: (k, p) for k, p in run.elements if k in WIDGETS}
                    return run

    def find(self, key: str | None = None, label: str | None = None) -> tuple[str, Any]:
        """A widget of the last run by its user key, or else by its exact label."""
        for element_id, (kind, proto) in self.widgets.items():
            if (key is not None and element_id.endswith(f"-{key}")) or (label is not None and proto.label == label):
                return kind, proto
        raise ProtocolError(f"no widget with key {key!r} / label {label!r} on the page "
                            f"(there are: {sorted(p.label for _, p in self.widgets.values())})")

    def set(self, key: str, value: Any) -> None:
        """Give a widget a value, typed the way its kind is sent (a radio/selectbox by option index)."""
        kind, proto = self.find(key)
        state = WidgetState(id=proto.id)
        if kind in {"radio", "selectbox"}:
            state.string_value = proto.options[value]
        elif kind == "number_input":
            if proto.data_type == proto.INT:
                state.int_value = int(value)
            else:
                state.double_value = float(value)
        elif kind == "checkbox":
            state.bool_value = bool(value)
        elif kind == "text_input":
            state.string_value = str(value)
        else:
            raise ProtocolError(f"cannot set a {kind} ({key})")
        self.states[proto.id] = state

    def press(self, label: str) -> None:
        """Press a button (a form's submit button commits the form's widgets in the same rerun)."""
        _, proto = self.find(label=label)
        self.states[proto.id] = WidgetState(id=proto.id, trigger_value=True)
