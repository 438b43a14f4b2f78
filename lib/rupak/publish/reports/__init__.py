"""The report runner: notebooks × parameters → HTML reports, incremental, parallel, bounded.

``reports.toml`` lists the reports. For each, :func:`build`

1. checks the configuration, the output folder and the parameters against the notebook's
   declared ones and the record (nothing runs on bad input), and refuses a notebook whose
   working copy differs from git HEAD (:mod:`.committed`);
2. skips it when nothing it depends on changed (:mod:`.keys`);
3. otherwise executes it with papermill in a worker process under its timeout, exports HTML
   in-process, and replaces ``reports/<name>.html`` and ``<name>.ipynb`` atomically
   (:mod:`.run`, :mod:`.build`).

A failing or timed-out notebook does not stop the others: its page ``<name>.failed.html`` says
why, the last good report stays in place, the index (:mod:`.index`) marks the failure and the
command exits non-zero. Ctrl-C stops everything cleanly and exits 130. The committed notebooks'
stored outputs are checked and refreshed by :mod:`.stored`; :mod:`.variant` adds a report.

Modules: config (reports.toml), keys (freshness and state), committed (git HEAD), run (one
report in a worker), build (the whole build and interrupts), index (the index page), stored
(stored outputs), variant (``rupak variant``).
"""

from rupak.publish.reports.build import DataError, Interrupted, build, ensure_valid_data
from rupak.publish.reports.config import (
    CONFIG,
    DEFAULT_TIMEOUT,
    NOTEBOOKS,
    OUT_DIR,
    RESERVED_NAMES,
    ConfigError,
    ReportSpec,
    load_config,
)
from rupak.publish.reports.index import write_index
from rupak.publish.reports.keys import (
    Outcome,
    is_current,
    notebook_fingerprint,
    read_state,
    report_key,
    write_state,
)
from rupak.publish.reports.run import KERNEL, MAX_OUTPUT_CHARS, bound_outputs, execute_report
from rupak.publish.reports.stored import (
    current_key,
    refresh_notebooks,
    stale_notebooks,
    stored_key,
)
from rupak.publish.reports.variant import add_variant

__all__ = [
    "CONFIG",
    "DEFAULT_TIMEOUT",
    "KERNEL",
    "MAX_OUTPUT_CHARS",
    "NOTEBOOKS",
    "OUT_DIR",
    "RESERVED_NAMES",
    "ConfigError",
    "DataError",
    "Interrupted",
    "Outcome",
    "ReportSpec",
    "add_variant",
    "bound_outputs",
    "build",
    "current_key",
    "ensure_valid_data",
    "execute_report",
    "is_current",
    "load_config",
    "notebook_fingerprint",
    "read_state",
    "refresh_notebooks",
    "report_key",
    "stale_notebooks",
    "stored_key",
    "write_index",
    "write_state",
]
