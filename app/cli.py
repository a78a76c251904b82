"""The `cbec` command line: the engine's functions for researchers and scripts.

Every error a user can cause ends in one readable message on stderr and exit code 2, never a traceback.
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from cbec_core import report
from cbec_core.model import DEFAULT_RESAMPLES, DEFAULT_SEED, FittedModel, fit
from cbec_core.sem import FitFailure
from cbec_core.survey import SurveyError, load_survey, validate_survey

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Benchmark AIGC adoption in cross-border e-commerce (Tian 2025 model).")
db_app = typer.Typer(no_args_is_help=True, help="The store: DATABASE_URL, else CBEC_DATA_DIR/cbec.sqlite (default ./data).")
export_app = typer.Typer(no_args_is_help=True, help="Write stored data to CSV or XLSX (by the file's suffix).")
app.add_typer(db_app, name="db")
app.add_typer(export_app, name="export")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

STAGES = {"measurement": "Measurement model (CFA)", "structural": "Structural model (SEM)",
          "sem_bootstrap": "Bootstrapping the latent model", "bootstrap": "Bootstrapping the regressions",
          "subgroups": "Pilot vs non-pilot subgroups"}


def fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code=2)


@contextmanager
def user_errors():
    """Turn the errors a user can cause into one message and exit code 2."""
    try:
        yield
    except SurveyError as exc:
        fail(str(exc))
    except FitFailure as exc:
        fail(f"the model could not be fitted: {exc}")
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


@app.command("fit")
def fit_cmd(data: Annotated[Optional[Path], typer.Argument(help="survey CSV or XLSX (columns as in MODEL.md §1); or --dataset")] = None,
            dataset: Annotated[Optional[str], typer.Option("--dataset", help="fit a data set of the store instead, and store the fit")] = None,
            activate: Annotated[bool, typer.Option("--activate", help="with --dataset: make the stored fit the active benchmark")] = False,
            bootstrap: Annotated[int, typer.Option(min=0, help="bootstrap resamples of the regressions")] = DEFAULT_RESAMPLES,
            seed: Annotated[int, typer.Option(help="random seed (same seed, same CIs)")] = DEFAULT_SEED,
            controls: Annotated[bool, typer.Option("--controls", help="add firm size, age, region, business model and pilot zone to both regressions")] = False,
            sem_bootstrap: Annotated[int, typer.Option(min=0, help="also bootstrap the latent indirect effect by refitting the SEM (slow)")] = 0,
            json_out: Annotated[Optional[Path], typer.Option("--json", help="write the fitted model as JSON here")] = None,
            quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no summary, no progress bar")] = False) -> None:
    """Fit the moderated-mediation model to a survey file or a stored data set and print a readable summary."""
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
            model = fit(survey, bootstrap=bootstrap, seed=seed, controls=controls, sem_bootstrap=sem_bootstrap, progress=update,
                        synthetic=synthetic, label=dataset or "")
        if dataset is not None:
            fit_id = db.store_fit(db.get_dataset(dataset).id, model)
            affected = db.activate(fit_id) if activate else None
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
    with user_errors():
        db.ensure_ready()
        try:
            result = db.import_file(file, name)
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


@db_app.command("upgrade")
def db_upgrade_cmd() -> None:
    """Apply the store's schema migrations (a new database is created)."""
    import db
    with user_errors():
        revision = db.upgrade()
    err.print(f"{db.display_url()} is at schema revision {revision}", highlight=False)


@app.command("replicate")
def replicate_cmd(bootstrap: Annotated[int, typer.Option(min=0, help="bootstrap resamples")] = DEFAULT_RESAMPLES,
                  csv_out: Annotated[Optional[Path], typer.Option("--csv", help="also write the comparison table as CSV")] = None) -> None:
    """Replication report: the paper's Tables 1–2 beside what the pipeline recovers from the SYNTHETIC reference cohort."""
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
    data = _load_json(path, "model")
    if not isinstance(data, dict) or "regressions" not in data:
        raise ValueError(f"{path.name} is not a fitted model; create one with `cbec fit DATA.csv --json {path.name}`")
    return FittedModel.from_dict(data)


@app.command("serve")
def serve_cmd(port: Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")] = 8501,
              address: Annotated[str, typer.Option(help="address to bind (0.0.0.0 to serve a room)")] = "127.0.0.1") -> None:
    """Start the dashboard: apply migrations, seed an empty store, then run Streamlit."""
    import os
    from pathlib import Path as _Path

    from db.seed import ensure_ready
    with user_errors():
        ensure_ready()
    script = _Path(__file__).with_name("dashboard.py")
    err.print(f"dashboard on http://{address}:{port} (Ctrl+C stops it)", highlight=False)
    os.execv(sys.executable, [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                              "--server.address", address, "--server.headless", "true",
                              "--browser.gatherUsageStats", "false", "--global.developmentMode", "false",
                              "--server.fileWatcherType", "none"])  # no source watching in service: it polls per rerun


def main() -> None:
    app()


if __name__ == "__main__":
    main()
