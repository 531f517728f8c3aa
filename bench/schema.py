"""The SQLite file a benchmark builds into starts as a copy of the test suite's migrated schema when the suite runs
the benchmark at its smoke size (LINLI_BENCH_SCHEMA, set by src/linli/conftest.py): migrating a new file replays
every migration (about 25 s of CPU), copying one costs nothing, and `migrate` then finds nothing to do. Run by hand,
the benchmark migrates its new file as before."""

import os
import shutil
from pathlib import Path


def start(path: Path | str) -> None:
    schema = os.environ.get("LINLI_BENCH_SCHEMA")
    if schema and not Path(path).exists():
        shutil.copyfile(schema, path)
