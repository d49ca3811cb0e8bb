"""The CPython side of tests/logging_vs_cpython.rs.

    python3 scenarios.py SCENARIO [FORMATS_FILE]

Runs one logging scenario in the current directory (a fresh temporary directory) and
leaves the files it produced there. The Rust test runs the same scenario on the virtual
file system and compares the files byte for byte (times masked, except in "formats",
whose records carry fixed times)."""

import logging
import logging.handlers
import sys

B1 = "%(asctime)s - %(levelname)s - %(message)s"
LEVELS = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL]


def basic():
    logging.basicConfig(filename="app.log", level=logging.DEBUG, format=B1)
    logging.debug("This is a debug message")
    logging.info("Informational: %d items", 3)
    logging.warning("A warning")
    # A second basicConfig does nothing: same file, same format, same level.
    logging.basicConfig(filename="other.log", level=logging.ERROR, format="%(message)s")
    logging.error("An error")
    logging.critical("A critical message")
    logging.getLogger("app.module").info("From a named logger")
    logging.log(25, "A level without a name")


def levels():
    log = logging.getLogger("levels")
    log.setLevel(logging.DEBUG)
    everything = logging.FileHandler("all.log", "w")
    everything.setLevel(logging.DEBUG)
    everything.setFormatter(logging.Formatter("%(levelname)-8s %(name)s: %(message)s"))
    errors = logging.FileHandler("errors.log", "w")
    errors.setLevel(logging.ERROR)
    errors.setFormatter(logging.Formatter("%(asctime)s [%(levelno)2d] %(message)s", "%d/%m/%Y %H:%M:%S"))
    log.addHandler(everything)
    log.addHandler(errors)
    child = logging.getLogger("levels.child")
    for logger_level in [logging.DEBUG, logging.WARNING, logging.CRITICAL]:
        log.setLevel(logger_level)
        for level in LEVELS:
            name = logging.getLevelName(level)
            log.log(level, "%s at logger level %s", name, logging.getLevelName(logger_level))
            child.log(level, "child %s", name)
    child.setLevel(logging.INFO)
    logging.addLevelName(25, "NOTICE")
    child.log(25, "a custom level")
    child.debug("below the child's level")
    child.propagate = False
    child.error("not propagated: goes to the last resort")
    logging.getLogger("levels.other").error("still propagated")


def rotation():
    log = logging.getLogger("rot")
    log.setLevel(logging.INFO)
    handler = logging.handlers.RotatingFileHandler("app.log", maxBytes=200, backupCount=3)
    handler.setFormatter(logging.Formatter(B1))
    log.addHandler(handler)
    for i in range(100):
        log.info("record %d %s", i, "x" * (i % 17))


def rotation_delay_utf8():
    log = logging.getLogger("rot2")
    handler = logging.handlers.RotatingFileHandler("app.log", "a", 120, 2, delay=True)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    log.addHandler(handler)
    for i in range(40):
        log.warning("é%d %s", i, "ü" * (i % 9))


def formats(path):
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    times = [0.0, 951782400.25, 1700000000.5, 1704067199.999, 1735603200.0, 1609459200.125, 4107542400.0]
    out = []
    for created in times:
        record = logging.makeLogRecord(dict(
            name="app.db", levelno=30, levelname="WARNING", pathname="src/app/db.rs",
            filename="db.rs", module="db", lineno=42, funcName="connect",
            created=created, msecs=int(round(created % 1 * 1000)) + 0.0, relativeCreated=1234.5678,
            thread=140001, threadName="MainThread", process=4242, processName="MainProcess",
            msg="connection lost: 'db1' é", args=()))
        for line in lines:
            fmt, _, datefmt = line.partition("\t")
            out.append(logging.Formatter(fmt, datefmt or None).format(record))
    with open("formats.out", "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    scenario = sys.argv[1]
    if scenario == "formats":
        formats(sys.argv[2])
    else:
        globals()[scenario]()
    logging.shutdown()
