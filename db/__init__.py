"""The store: survey data sets, model fits and the active benchmark, assessments and workshops (SQLAlchemy + Alembic).

Pages and the CLI use only the functions below; they take and return plain data (dataclasses,
DataFrames, FittedModel), never ORM objects or SQL. Every function takes `url=None`: the database
configured by DATABASE_URL, else the SQLite file in CBEC_DATA_DIR (docs/store.md).
"""
from .assessments import (
    PeerStanding,
    assessment_history,
    counted_assessments,
    export_assessments,
    save_assessment,
    segment_percentiles,
    workshop_assessments,
    zone_comparison,
)
from .datasets import (
    DatasetInfo,
    ImportResult,
    dataset_frame,
    export_dataset,
    get_dataset,
    import_file,
    import_frame,
    list_datasets,
)
from .engine import StoreError, StoreUnavailable, database_url, display_url, dispose_engine
from .files import error_report, error_report_csv
from .fits import (
    activate,
    active_fit,
    active_fit_id,
    activation_impact,
    assessments_against,
    assessments_under_active_fit,
    get_fit,
    list_fits,
    store_fit,
)
from .lab import UploadCheck, check_upload, fit_dataset
from .migrate import head_revision, upgrade
from .pool import pool_count, pool_frame, store_collected
from .seed import REFERENCE_NAME, ensure_ready
from .workshops import (
    NewWorkshop,
    WorkshopInfo,
    close_workshop,
    create_workshop,
    find_workshop,
    verify_secret,
)

__all__ = [
    "REFERENCE_NAME",
    "DatasetInfo",
    "ImportResult",
    "NewWorkshop",
    "PeerStanding",
    "StoreError",
    "StoreUnavailable",
    "UploadCheck",
    "WorkshopInfo",
    "activate",
    "active_fit",
    "active_fit_id",
    "activation_impact",
    "assessments_against",
    "assessment_history",
    "counted_assessments",
    "check_upload",
    "assessments_under_active_fit",
    "close_workshop",
    "create_workshop",
    "database_url",
    "dataset_frame",
    "display_url",
    "dispose_engine",
    "ensure_ready",
    "error_report",
    "error_report_csv",
    "export_assessments",
    "export_dataset",
    "find_workshop",
    "fit_dataset",
    "get_dataset",
    "get_fit",
    "head_revision",
    "import_file",
    "import_frame",
    "list_datasets",
    "list_fits",
    "pool_count",
    "pool_frame",
    "save_assessment",
    "segment_percentiles",
    "store_collected",
    "store_fit",
    "upgrade",
    "verify_secret",
    "workshop_assessments",
    "zone_comparison",
]
