"""CPython's half of examples/logging_bench.rs.

    python3 bench.py DIRECTORY RECORDS

Logs RECORDS records through a RotatingFileHandler (1 MB, 3 backups, the B1 format) into
DIRECTORY, then the same number at a disabled level, timing each loop inside Python, and
prints the figures as one JSON object."""

import json
import logging
import logging.handlers
import os
import platform
import sys
import time

directory, records = sys.argv[1], int(sys.argv[2])
log = logging.getLogger("bench")
log.setLevel(logging.INFO)
log.propagate = False
handler = logging.handlers.RotatingFileHandler(
    os.path.join(directory, "app.log"), maxBytes=1024 * 1024, backupCount=3)
handler.setFormatter(logging.Formatter("%(asctime)s - %(levelname)s - %(message)s"))
log.addHandler(handler)

start = time.perf_counter()
for i in range(records):
    log.info("record %d of the benchmark", i)
enabled = time.perf_counter() - start

start = time.perf_counter()
for i in range(records):
    log.debug("record %d of the benchmark", i)
disabled = time.perf_counter() - start

handler.close()
files = {name: os.path.getsize(os.path.join(directory, name)) for name in sorted(os.listdir(directory))}
print(json.dumps({
    "python": platform.python_version(),
    "enabled_seconds": enabled,
    "disabled_seconds": disabled,
    "files": files,
}))
