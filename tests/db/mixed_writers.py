"""One process of the concurrent-writers test: 25 threads, each one write of a different kind, started together.

Usage: python tests/db/mixed_writers.py PROCESS_INDEX WORKSHOP_ID KEY1,KEY2,…
Prints "ready" once prepared, waits for a line on stdin, runs the writers at once and prints one JSON
object: the firm keys each save returned, the ids of the workshops created, and every error as text.
Writer g (0–49 over the two processes) does, by g mod 5: an import of 20 rows, a workshop creation,
a save into the workshop (a participant joining), a returning firm's save with KEY[g // 10], a new save.
"""
from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parents[1])]

import db  # noqa: E402
from conftest import simulate_survey  # noqa: E402
from store_helpers import answers_of, save  # noqa: E402

THREADS = 25


def main(process: int, workshop_id: int, keys: list[str]) -> None:
    survey = simulate_survey(200, seed=4)
    fit_id, fitted = db.active_fit()
    returned: dict[str, list[str]] = {"new": [], "joined": [], "returning": []}
    created, errors = [], []
    start = threading.Barrier(THREADS + 1)

    def write(g: int) -> None:
        answers = answers_of(survey.iloc[g])
        start.wait()
        try:
            kind = g % 5
            if kind == 0:
                db.import_frame(survey.iloc[g:g + 20], f"concurrent import {g}", actor=db.Actor.operator())
            elif kind == 1:
                created.append(db.create_workshop(f"room {g}", actor=db.Actor.operator()).workshop.id)
            elif kind == 2:
                returned["joined"].append(save(answers, fitted, fit_id, workshop_id=workshop_id, consent=True))
            elif kind == 3:
                returned["returning"].append(save(answers, fitted, fit_id, firm_key=keys[g // 10], consent=True))
            else:
                returned["new"].append(save(answers, fitted, fit_id, consent=True))
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the test
            errors.append(f"writer {g}: {exc!r}")

    threads = [threading.Thread(target=write, args=(process * THREADS + i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    print("ready", flush=True)
    sys.stdin.readline()
    start.wait()
    for thread in threads:
        thread.join()
    print(json.dumps({"keys": returned, "workshops": created, "errors": errors}), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(","))
