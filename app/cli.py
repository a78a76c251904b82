"""The `cbec` command line: the engine's functions for researchers and scripts.

Every error a user can cause ends in one readable message on stderr and exit code 2, never a traceback.
"""
from __future__ import annotations

import enum
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from cbec_core.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED  # the statistics are imported by the commands that use them:
# `cbec serve` starts Streamlit first, so its health check answers before they are loaded

if TYPE_CHECKING:
    from cbec_core.model import FittedModel
from cbec_core.invariance import GROUPINGS
from cbec_core.sem import ESTIMATORS

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Benchmark AIGC adoption in cross-border e-commerce (Tian 2025 model).")
db_app = typer.Typer(no_args_is_help=True, help="The store: DATABASE_URL, else CBEC_DATA_DIR/cbec.sqlite (default ./data).")
export_app = typer.Typer(no_args_is_help=True, help="Write stored data to CSV or XLSX (by the file's suffix).")
users_app = typer.Typer(no_args_is_help=True, help="Accounts that may change what everyone sees (roles: admin, researcher, facilitator).")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
assessments_app = typer.Typer(no_args_is_help=True, help="Self-assessments kept in the store (docs/privacy.md).")
app.add_typer(export_app, name="export")
app.add_typer(assessments_app, name="assessments")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

STAGES = {"measurement": "Measurement model (CFA)", "invariance": "Measurement invariance (multi-group CFA)",
          "structural": "Structural model (SEM)", "sem_bootstrap": "Bootstrapping the latent model",
          "pls": "PLS-SEM", "pls_bootstrap": "Bootstrapping the PLS-SEM", "bootstrap": "Bootstrapping the regressions",
          "subgroups": "Pilot vs non-pilot subgroups"}


def fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code=2)


@contextmanager
def user_errors():
    """Turn the errors a user can cause into one message and exit code 2."""
    from cbec_core.sem import FitFailure
    from cbec_core.survey import SurveyError
    from db.engine import StoreUnavailable
    try:
        yield
    except SurveyError as exc:
        fail(str(exc))
    except FitFailure as exc:
        fail(f"the model could not be fitted: {exc}")
    except StoreUnavailable as exc:
        fail(f"{exc}; check DATABASE_URL / CBEC_DATA_DIR and that the database is running")
    except (OSError, json.JSONDecodeError, ValueError, KeyError) as exc:
        fail(str(exc))


@contextmanager
def progress_bar(enabled: bool):
    """A rich progress bar fed by fit()'s progress(stage, done, total) callback."""
    if not enabled:
        yield None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


@app.command("reference")
def reference_cmd(out_file: Annotated[Path, typer.Argument(help="CSV file to write")],
                  seed: Annotated[Optional[int], typer.Option(help="generator seed (default: the documented one)")] = None) -> None:
    """Write the SYNTHETIC reference cohort (312 generated firms calibrated to Tian 2025) to a CSV."""
    from cbec_core.reference import SYNTHETIC_LABEL, reference_cohort
    with user_errors():
        frame = reference_cohort() if seed is None else reference_cohort(seed=seed)
        frame.assign(provenance="synthetic-reference").to_csv(out_file, index=False)
    err.print(f"wrote {len(frame)} rows to {out_file} — {SYNTHETIC_LABEL['en']}", highlight=False)


Estimator = enum.Enum("Estimator", {e: e for e in ESTIMATORS}, type=str)
InvarianceGroup = enum.Enum("InvarianceGroup", {g: g for g in GROUPINGS}, type=str)


@app.command("fit")
def fit_cmd(data: Annotated[Optional[Path], typer.Argument(help="survey CSV or XLSX (columns as in MODEL.md §1); or --dataset")] = None,
            dataset: Annotated[Optional[str], typer.Option("--dataset", help="fit a data set of the store instead, and store the fit")] = None,
            activate: Annotated[bool, typer.Option("--activate", help="with --dataset: make the stored fit the active benchmark")] = False,
            bootstrap: Annotated[int, typer.Option(min=0, help="bootstrap resamples of the regressions")] = DEFAULT_RESAMPLES,
            seed: Annotated[int, typer.Option(help="random seed (same seed, same CIs)")] = DEFAULT_SEED,
            controls: Annotated[bool, typer.Option("--controls", help="add firm size, age, region, business model and pilot zone to both regressions")] = False,
            sem_bootstrap: Annotated[int, typer.Option(min=0, help="also bootstrap the latent indirect effect by refitting the SEM (slow)")] = 0,
            estimator: Annotated[Estimator, typer.Option(case_sensitive=False, help="ML (the paper's) or MLR: same estimates, robust SEs, Yuan–Bentler scaled chi2 and robust CFI/TLI/RMSEA")] = Estimator.ML,
            group: Annotated[InvarianceGroup, typer.Option("--invariance-group", help="two-level column to test measurement invariance across")] = InvarianceGroup.pilot_zone,
            json_out: Annotated[Optional[Path], typer.Option("--json", help="write the fitted model as JSON here")] = None,
            quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no summary, no progress bar")] = False) -> None:
    """Fit the moderated-mediation model to a survey file or a stored data set and print a readable summary."""
    from cbec_core import report
    from cbec_core.model import fit
    from cbec_core.survey import load_survey, validate_survey
    with user_errors():
        if (data is None) == (dataset is None):
            raise ValueError("give either a survey file or --dataset NAME (exactly one of them)")
        if activate and dataset is None:
            raise ValueError("--activate needs --dataset NAME: only a fit of a stored data set can become the benchmark")
        if dataset is None:
            survey, source, synthetic = load_survey(data, controls=controls), data.name, False
        else:
            import db
            db.ensure_ready()
            frame = db.dataset_frame(dataset)
            survey, source, synthetic = validate_survey(frame, controls=controls), f"data set '{dataset}'", frame.attrs["synthetic"]
        if survey.n_used == 0:
            fail(f"every row of {source} was excluded (first reason — {survey.excluded[0]}); fix the answers and try again")
        with progress_bar(not quiet and sys.stderr.isatty()) as update:
            model = fit(survey, bootstrap=bootstrap, seed=seed, controls=controls, sem_bootstrap=sem_bootstrap,
                        estimator=estimator.value, invariance_group=group.value, progress=update,
                        synthetic=synthetic, label=dataset or "")
        if dataset is not None:
            fit_id = db.store_fit(db.get_dataset(dataset).id, model, actor=db.Actor.operator())
            affected = db.activate(fit_id, actor=db.Actor.operator()) if activate else None
        if json_out:
            json_out.write_text(model.to_json(indent=1), encoding="utf-8")
    if survey.excluded:
        err.print(f"{survey.n_excluded} row(s) excluded listwise:", highlight=False)
        for problem in survey.excluded[:20]:
            err.print(f"  {problem}", highlight=False)
        if len(survey.excluded) > 20:
            err.print(f"  … and {len(survey.excluded) - 20} more (all listed under 'excluded' in --json)", highlight=False)
    if not quiet:
        out.print(report.fit_summary(model), highlight=False)
    if json_out:
        err.print(f"model written to {json_out}", highlight=False)
    if dataset is not None:
        err.print(f"stored as fit {fit_id} of {source}", highlight=False)
        if affected is not None:
            err.print(f"fit {fit_id} is now the active benchmark; {affected} assessment(s) scored against the previous "
                      "benchmark since its activation keep their fit", highlight=False)


@app.command("import")
def import_cmd(file: Annotated[Path, typer.Argument(help="survey CSV or XLSX to store as a data set")],
               name: Annotated[str, typer.Option("--name", help="the new data set's name (unique)")],
               report_csv: Annotated[Optional[Path], typer.Option("--report", help="if the file is refused, write every problem to this CSV")] = None) -> None:
    """Store a survey file as a data set: every row or none; a refused file leaves the store unchanged."""
    import db
    from cbec_core.survey import SurveyError
    with user_errors():
        db.ensure_ready()
        try:
            result = db.import_file(file, name, actor=db.Actor.operator())
        except SurveyError as exc:
            if report_csv:
                report_csv.write_bytes(db.error_report_csv(exc.problems))
                err.print(f"all {len(exc.problems)} problem(s) written to {report_csv}", highlight=False)
            raise
    info = result.dataset
    err.print(f"stored {info.row_count} rows of {file.name} as data set '{info.name}' ({info.provenance})", highlight=False)
    if result.excluded:
        err.print(f"{len(result.excluded)} row(s) will be excluded from fitting (stored all the same):", highlight=False)
        for problem in result.excluded[:20]:
            err.print(f"  {problem}", highlight=False)
    if result.unknown_zones:
        err.print(f"{len(result.unknown_zones)} zone value(s) are not in the pilot-zone list and are kept as typed:", highlight=False)
        for problem in result.unknown_zones[:20]:
            err.print(f"  {problem}", highlight=False)


@export_app.command("dataset")
def export_dataset_cmd(name: Annotated[str, typer.Argument(help="the data set's name")],
                       out_file: Annotated[Path, typer.Argument(help="OUT.csv or OUT.xlsx")]) -> None:
    """Write a stored data set (a synthetic one carries a provenance column)."""
    import db
    with user_errors():
        db.ensure_ready()
        rows = db.export_dataset(name, out_file)
    err.print(f"wrote {rows} rows of data set '{name}' to {out_file}", highlight=False)


@export_app.command("assessments")
def export_assessments_cmd(out_file: Annotated[Path, typer.Argument(help="OUT.csv or OUT.xlsx")]) -> None:
    """Write every consented assessment, each labelled with its benchmark's provenance."""
    import db
    with user_errors():
        db.ensure_ready()
        rows = db.export_assessments(out_file)
    err.print(f"wrote {rows} assessment(s) to {out_file}", highlight=False)


@assessments_app.command("purge")
def assessments_purge_cmd(older_than: Annotated[int, typer.Option("--older-than", min=1, metavar="DAYS",
                                                                  help="delete assessments saved more than DAYS days ago")],
                          yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False) -> None:
    """Delete every assessment older than a retention limit (firm keys, answers, scores); audited as purge_assessments."""
    import db
    if not yes:
        typer.confirm(f"Delete every assessment saved more than {older_than} days ago? This cannot be undone", abort=True)
    with user_errors():
        db.ensure_ready()
        deleted = db.purge_assessments(older_than, actor=db.Actor.operator())
    err.print(f"deleted {deleted} assessment(s) saved more than {older_than} days ago", highlight=False)


@app.command("zones")
def zones_cmd(by: Annotated[str, typer.Option("--by", help="zone, province, region or pilot_zone")],
              dataset: Annotated[Optional[str], typer.Option("--dataset", help="a stored data set's name")] = None,
              assessments: Annotated[bool, typer.Option("--assessments", help="the collected self-assessments (consenting firms)")] = False,
              as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table")] = False) -> None:
    """What the zone page publishes for one grouping: group means, quartiles from 10 firms, and why a group is hidden."""
    import db
    from cbec_core import zones
    with user_errors():
        if (dataset is None) == (not assessments):
            raise ValueError("give either --dataset NAME or --assessments (exactly one of them)")
        if by not in zones.GROUPINGS:
            raise ValueError(f"cannot group by '{by}'; use one of {', '.join(zones.GROUPINGS)}")
        db.ensure_ready()
        if assessments:
            pub, source = zones.pool_publication(db.pool_history()), "assessments"
        else:
            pub, source = zones.publication(zones.complete_rows(db.dataset_frame(dataset))[0]), dataset
        result = zones.published_report(pub, by, source)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    out.print(report.zones_text(result), highlight=False)


@db_app.command("upgrade")
def db_upgrade_cmd() -> None:
    """Apply the store's schema migrations (a new database is created)."""
    import db
    with user_errors():
        revision = db.upgrade()
    err.print(f"{db.display_url()} is at schema revision {revision}", highlight=False)


def _print_counts(counts: dict[str, int]) -> None:
    for table, rows in counts.items():
        out.print(f"  {table:18s} {rows:>9,d}", highlight=False)


@db_app.command("backup")
def db_backup_cmd(path: Annotated[Path, typer.Argument(help="the new backup file (never overwritten)")]) -> None:
    """Copy the SQLite store to PATH while the server runs (SQLite's online backup API); prints its counts."""
    from db.backup import backup
    with user_errors():
        counts = backup(path)
    err.print(f"backed up {_display_url()} to {path}, checked:", highlight=False)
    _print_counts(counts)


@db_app.command("restore")
def db_restore_cmd(path: Annotated[Path, typer.Argument(help="a backup written by `cbec db backup`")]) -> None:
    """Replace the stopped server's SQLite store with a backup, migrate it and check that its counts match."""
    from db.backup import restore
    with user_errors():
        counts = restore(path)
    err.print(f"restored {path} into {_display_url()}; integrity checked, counts match the backup:", highlight=False)
    _print_counts(counts)


@db_app.command("check")
def db_check_cmd() -> None:
    """Check the store: SQLite's integrity and foreign keys, and the store's own rules (exit 2 if anything is wrong)."""
    from db.backup import integrity_problems, table_counts
    with user_errors():
        problems = integrity_problems()
        counts = table_counts()
    for problem in problems:
        err.print(f"[bold red]problem:[/] {problem}", highlight=False)
    if problems:
        raise typer.Exit(code=2)
    err.print(f"{_display_url()} passed the integrity check:", highlight=False)
    _print_counts(counts)


def _display_url() -> str:
    from db import display_url
    return display_url()


@app.command("replicate")
def replicate_cmd(bootstrap: Annotated[int, typer.Option(min=0, help="bootstrap resamples")] = DEFAULT_RESAMPLES,
                  csv_out: Annotated[Optional[Path], typer.Option("--csv", help="also write the comparison table as CSV")] = None) -> None:
    """Replication report: the paper's Tables 1–2 beside what the pipeline recovers from the SYNTHETIC reference cohort."""
    from cbec_core import report
    from cbec_core.replication import replicate
    with user_errors(), progress_bar(sys.stderr.isatty()) as update:
        rep = replicate(bootstrap=bootstrap, progress=update)
    out.print(report.replication_text(rep), highlight=False)
    if csv_out:
        rep.table.to_csv(csv_out, index=False)
        err.print(f"table written to {csv_out}", highlight=False)


@app.command("score")
def score_cmd(model_json: Annotated[Path, typer.Argument(help="a fitted model written by `cbec fit --json`")],
              answers_json: Annotated[Path, typer.Argument(help='the firm\'s answers: {"AIGC1": 4, …, "HQD6": 3} plus optional controls')],
              segment: Annotated[Optional[str], typer.Option(help="peer segment, e.g. region=east, business_model=B2C, pilot_zone=1, size_band=50-200")] = None,
              as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a summary")] = False) -> None:
    """Score one firm against a fitted model."""
    from cbec_core import report
    from cbec_core.scoring import score_firm
    with user_errors():
        model = _load_model(model_json)
        answers = _load_json(answers_json, "answers")
        if not isinstance(answers, dict):
            fail(f"{answers_json.name} must hold one JSON object of item answers, e.g. {{\"AIGC1\": 4, …}}")
        result = score_firm(answers, model, segment=segment)
    if as_json:
        out.print_json(json.dumps(result.as_dict()))
    else:
        out.print(report.firm_summary(result), highlight=False)


def _load_json(path: Path, what: str):
    if not path.exists():
        raise OSError(f"{what} file {path} does not exist; check the path")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None


def _load_model(path: Path) -> FittedModel:
    from cbec_core.model import FittedModel
    data = _load_json(path, "model")
    if not isinstance(data, dict) or "regressions" not in data:
        raise ValueError(f"{path.name} is not a fitted model; create one with `cbec fit DATA.csv --json {path.name}`")
    return FittedModel.from_dict(data)


def read_password(confirm: bool = True) -> str:
    """A new password from a hidden prompt on a terminal, else the first line of standard input (scripts, docker exec)."""
    if sys.stdin.isatty():
        return typer.prompt("password", hide_input=True, confirmation_prompt=confirm)
    return sys.stdin.readline().rstrip("\r\n")


@users_app.command("add")
def users_add_cmd(name: Annotated[str, typer.Argument(help="user name (letters, digits, . _ - @)")],
                  role: Annotated[str, typer.Option("--role", help="admin, researcher or facilitator")],
                  email: Annotated[Optional[str], typer.Option("--email", help="e-mail for OIDC sign-in ([auth] in secrets.toml)")] = None,
                  no_password: Annotated[bool, typer.Option("--no-password", help="with --email: sign in only through OIDC")] = False) -> None:
    """Create an account; the password comes from a prompt, or from standard input when it is not a terminal."""
    import db
    with user_errors():
        db.ensure_ready()
        password = None if no_password and email else read_password()
        info = db.add_account(name, role, password, email=email, actor=db.Actor.operator())
    err.print(f"account '{info.username}' created with the role {info.role}", highlight=False)


@users_app.command("list")
def users_list_cmd() -> None:
    """List the accounts (name, role, e-mail, created)."""
    import db
    with user_errors():
        db.ensure_ready()
        for info in db.list_accounts():
            sys.stdout.write(f"{info.username}\t{info.role}\t{info.email or '-'}\t{info.created_at:%Y-%m-%d %H:%M} UTC\n")


@users_app.command("passwd")
def users_passwd_cmd(name: Annotated[str, typer.Argument(help="user name")]) -> None:
    """Set a new password (prompt, or standard input); the account's open browser sessions end."""
    import db
    with user_errors():
        db.ensure_ready()
        db.set_password(name, read_password(), actor=db.Actor.operator())
    err.print(f"password of '{name}' changed", highlight=False)


@users_app.command("role")
def users_role_cmd(name: Annotated[str, typer.Argument(help="user name")],
                   role: Annotated[str, typer.Argument(help="admin, researcher or facilitator")]) -> None:
    """Change an account's role."""
    import db
    with user_errors():
        db.ensure_ready()
        info = db.set_role(name, role, actor=db.Actor.operator())
    err.print(f"'{info.username}' now has the role {info.role}", highlight=False)


@users_app.command("remove")
def users_remove_cmd(name: Annotated[str, typer.Argument(help="user name")]) -> None:
    """Delete an account (the last admin cannot be removed)."""
    import db
    with user_errors():
        db.ensure_ready()
        db.remove_account(name, actor=db.Actor.operator())
    err.print(f"account '{name}' removed", highlight=False)


@app.command("audit")
def audit_cmd(as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table")] = False,
              limit: Annotated[int, typer.Option(min=1, help="newest N rows")] = 50,
              action: Annotated[Optional[str], typer.Option(help="only this action (signin, upload, fit, activate, …)")] = None) -> None:
    """The audit log, newest first: sign-ins, uploads, fits, activations, workshops, account changes."""
    import db
    with user_errors():
        db.ensure_ready()
        rows = db.audit_entries(db.Actor.operator(), limit=limit, action=action)
    if as_json:
        rows = rows.assign(at=rows["at"].map(lambda t: t.isoformat())).astype(object)
        records = rows.where(rows.notna(), None).to_dict(orient="records")
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        return
    for row in rows.itertuples():
        out.print(f"{row.at:%Y-%m-%d %H:%M:%S} UTC  {row.actor:<20} {row.action:<16} {row.outcome:<9} {row.target}"
                  f"{'  ' + row.detail if row.detail else ''}{'  from ' + row.client if row.client else ''}", highlight=False)


@app.command("serve")
def serve_cmd(port: Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")] = 8501,
              address: Annotated[str, typer.Option(help="address to bind (0.0.0.0 to serve a room)")] = "127.0.0.1",
              public_url: Annotated[Optional[str], typer.Option(
                  help="the address participants' phones open, for workshop join links and QR codes "
                       "(sets CBEC_PUBLIC_URL), e.g. http://192.168.1.20:8501")] = None) -> None:
    """Start the dashboard: Streamlit answers at once while the store is migrated (and an empty one seeded) beside it."""
    import os
    import threading

    from streamlit.web import cli as streamlit_cli

    from app.ui.room_link import PUBLIC_URL_ENV, check_public_url
    if public_url is not None:
        try:
            os.environ[PUBLIC_URL_ENV] = check_public_url(public_url)  # read by the pages of this very process
        except ValueError as exc:
            fail(str(exc))

    script = Path(__file__).with_name("server.py")  # Streamlit's ASGI app with the sign-in routes; pages: dashboard.py
    threading.Thread(target=_warm_up, args=(port,), name="cbec-warm-up", daemon=True).start()
    err.print(f"dashboard on http://{address}:{port} (Ctrl+C stops it)", highlight=False)
    # Streamlit in this process, not exec'd: what the warm-up imports and loads, the pages find ready.
    # app/.streamlit/config.toml holds the production defaults; the flags here are the ones a user chooses.
    sys.argv = ["streamlit", "run", str(script), "--server.port", str(port), "--server.address", address]
    streamlit_cli.main(prog_name="streamlit")


def _warm_up(port: int) -> None:
    """Once Streamlit listens (its start-up goes first: health in seconds), migrate and seed the store and load what
    the first page needs; a page that comes sooner waits for it."""
    import socket
    import time

    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    from db.engine import StoreUnavailable
    from db.seed import ensure_ready
    try:
        ensure_ready()
        from app.ui.state import warm_up
        warm_up()
    except (ValueError, StoreUnavailable) as exc:  # each page says so in its reader's language and tries again
        err.print(f"[bold red]the store is not ready:[/] {exc}", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
