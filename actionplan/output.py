"""Write contract tables (Parquet + CSV) and manifests, and own the one rule for output
folders that every command follows (``output_folder``).

An output folder ``DIR`` is replaced only when it does not exist, is empty, or holds an
earlier output of the same command: its ``manifest.json`` names ``"tool": "actionplan"``
and the command, and every file in ``DIR`` is one the manifest lists. Anything else -- a
folder holding other files, a regular file, a symbolic link, the current folder or one of
its parents, a folder that is, holds or lies inside an input -- is refused with an
``OutputError`` before anything is touched.

The new output is written into a staging folder beside ``DIR`` and swapped in:

    lock .DIR.actionplan-lock            one writer per DIR; another run is refused at once
    recover                              what a killed run left (see ``_recover``)
    mkdir .DIR.actionplan-staging-PID    files written into it, each one a step
    swap                                 one atomic exchange of the two folders (Linux
                                         renameat2 RENAME_EXCHANGE) where the file system
                                         offers it, else DIR -> .DIR.actionplan-retired-PID
                                         and staging -> DIR
    remove the old output

After a kill at any instant DIR holds the old output or the new one; only on the
two-rename fallback can a kill between the renames leave DIR missing, and the next run
(of any command, under the lock) puts the retired old output back before it starts.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import dataclasses
import errno
import functools
import json
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from actionplan.errors import OutputError, one_line
from actionplan.schema.tables import DEFAULT_VALUES, ContractValues, validate

if TYPE_CHECKING:
    import pyarrow as pa

# pyarrow is imported where a table is built or written, not with this module: a run
# reads its PDF first, and pyarrow (with numpy, about 40 MB) would be held all the while.
_PYARROW_WITHOUT_NUMPY = False  # set by pyarrow_without_numpy() for the command's process

LIST_SEPARATOR = "; "
TOOL = "actionplan"
MANIFEST = "manifest.json"
STAGING, RETIRED, LOCK = "actionplan-staging", "actionplan-retired", "actionplan-lock"
# The fault hook the crash tests use: "kill@N" kills the process after its N-th
# file-system step, "stall@N" makes it wait there until it is killed.
FAULT_ENV = "ACTIONPLAN_FAULT"

# Files an extract output had before manifests listed them (package 0.1.0, no "tool" key).
_LEGACY_EXTRACT_FILE = re.compile(
    r"(characteristics|actions|themes|heatmap|repairs|issues|dropped|overdue)\.(parquet|csv)"
    r"|report\.html|plan\.xlsx|debug/\d\d-[\w-]+\.json")


# ------------------------------------------------------------------------------ tables


def pyarrow_without_numpy() -> None:
    """In this process pyarrow is imported, when a table is first built, without numpy.

    For a process that never hands pyarrow a numpy array nor asks it for one -- the
    command's: its tables are built from buffers (actionplan.columns) and written as
    Parquet and CSV, the reports read them as Python values. numpy is half of pyarrow's
    import (about 0.1 s CPU of a run). Not for a library caller's process: pyarrow imported
    so refuses numpy for good (``to_pandas`` fails), though numpy itself imports later.
    cloudpickle (about 0.006 s) is left out too: pyarrow then pickles with the standard
    pickle, and the command pickles no pyarrow object."""
    global _PYARROW_WITHOUT_NUMPY
    _PYARROW_WITHOUT_NUMPY = True


def _import_pyarrow() -> None:
    if not _PYARROW_WITHOUT_NUMPY or "pyarrow" in sys.modules or "numpy" in sys.modules:
        return
    # pyarrow imports numpy, and cloudpickle in place of pickle, only if it can (pyarrow.lib)
    blocked = [name for name in ("numpy", "cloudpickle") if name not in sys.modules]
    sys.modules.update(dict.fromkeys(blocked))
    try:
        import pyarrow  # noqa: F401
    finally:
        for name in blocked:
            del sys.modules[name]


def records_to_table(table_name: str, records: Iterable[object],
                     values: ContractValues = DEFAULT_VALUES) -> pa.Table:
    """Typed records (dataclasses) -> a pyarrow table of the declared schema, validated
    against ``values`` (the run's profile's score words)."""
    _import_pyarrow()
    import pyarrow as pa

    from actionplan.columns import column
    from actionplan.schema.tables import SCHEMAS

    schema = SCHEMAS[table_name]
    rows = [_row(r) for r in records]
    for row in rows:
        row.update(derived_values(table_name, row, values))
    # Built from buffers (actionplan.columns): pa.array / pa.table would import pandas.
    columns = [column([_plain(row.get(name)) for row in rows], schema.field(name).type)
               for name in schema.names]
    table = pa.Table.from_arrays(columns, schema=schema)
    validate(table_name, table, values=values)
    return table


def _row(record) -> dict:
    """A record's fields by name. Not ``dataclasses.asdict``: it deep-copies every value,
    and a table's values are plain (strings, numbers, dates, tuples of them)."""
    if not dataclasses.is_dataclass(record):
        return dict(record)
    return {name: getattr(record, name) for name in _field_names(type(record))}


@functools.lru_cache(maxsize=None)
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def derived_values(table_name: str, row: dict, values: ContractValues = DEFAULT_VALUES) -> dict:
    """The row's derived columns (score_rank from score), computed, never taken from input."""
    return {column: mapping.get(row.get(source))
            for (name, column), (source, mapping) in values.derived().items() if name == table_name}


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def write_table(folder: Path, table_name: str, table: pa.Table) -> None:
    """``<table>.parquet`` and ``<table>.csv``; the same table always gives the same bytes."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    parquet, csv = folder / f"{table_name}.parquet", folder / f"{table_name}.csv"
    with writing(parquet):
        pq.write_table(table, parquet)
    step(parquet)
    with writing(csv):
        pacsv.write_csv(_csv_friendly(table), csv)
    step(csv)


def _csv_friendly(table: pa.Table) -> pa.Table:
    """List columns joined with '; ', so the CSV stays one value per cell."""
    import pyarrow as pa

    from actionplan.columns import column

    columns = []
    for fld, values in zip(table.schema, table.columns):
        if pa.types.is_list(fld.type):
            joined = [
                None if v is None else LIST_SEPARATOR.join(str(x) for x in v)
                for v in values.to_pylist()
            ]
            # An empty list is an empty cell, like a null: CSV cannot tell them apart.
            columns.append(column([v or "" for v in joined], pa.string()))
        else:
            columns.append(values)
    return pa.Table.from_arrays(columns, names=table.schema.names)


def write_text(path: Path, text: str) -> None:
    """A text file of an output (report.md, debug steps), UTF-8."""
    with writing(path):
        path.write_text(text, encoding="utf-8")
    step(path)


def write_manifest(folder: Path, manifest: dict, command: str = "extract") -> dict:
    """``manifest.json``, written last: it names the tool and the command and lists every
    file in the folder, which is what lets a later run of the same command replace it.
    Returns the manifest as written."""
    files = sorted(relative for relative in _files_under(folder) if relative != MANIFEST)
    written = {"tool": TOOL, "command": command, **manifest, "files": files}
    text = json.dumps(written, indent=2, sort_keys=True, default=str)
    write_text(folder / MANIFEST, text + "\n")
    return written


def _files_under(folder: Path) -> Iterator[str]:
    """Every file, folder and link under ``folder``, as a relative POSIX path (folders end
    in "/"), top down."""
    for root, subdirs, names in os.walk(folder):
        here = Path(root)
        for name in names:
            yield (here / name).relative_to(folder).as_posix()
        for name in subdirs:
            path = here / name
            yield path.relative_to(folder).as_posix() + ("" if path.is_symlink() else "/")


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """A failed write (full disk, read-only, no permission) is the user's to fix: one line
    naming the file and the reason, exit 2."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None


def _reason(exc: OSError) -> str:
    return exc.strerror or one_line(exc) or type(exc).__name__


# ------------------------------------------------------------------------------ folders


@contextlib.contextmanager
def output_folder(target: Path, command: str, inputs: Iterable[Path] = ()) -> Iterator[Path]:
    """Yield an empty staging folder for ``command``'s output; when the block ends without
    an exception it replaces ``target`` (see the module docstring for what may be replaced).
    On any failure the staging folder is removed and ``target`` is left as it was."""
    target = Path(target)
    inputs = [Path(p) for p in inputs]
    refuse_unsafe_target(target, command, inputs)  # before anything exists: refusing creates nothing
    _make_parent(target)
    with _lock(target):
        _recover(target)
        refuse_unsafe_target(target, command, inputs)
        staging = _sibling(target, STAGING)
        with _creating(staging, target):
            os.mkdir(staging)  # the user's umask applies (tempfile.mkdtemp would make it 0700)
        step(staging)
        try:
            yield staging
        except OutputError as exc:  # a write into the staging folder failed
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(f"--out {target}: {exc}") from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _swap_in(staging, target)


def refuse_unsafe_target(target: Path, command: str, inputs: Iterable[Path] = ()) -> None:
    """OutputError unless ``target`` may be replaced by ``command``'s output."""
    shown = f"--out {target}"
    here = Path.cwd().resolve()
    resolved = target.resolve()
    if resolved == here or resolved in here.parents:
        raise OutputError(f"{shown}: is the current folder or holds it; choose a new folder")
    for source in inputs:
        source = source.resolve()
        if source == resolved or resolved in source.parents:
            raise OutputError(f"{shown}: would replace the input {source}; choose another folder")
        if source.is_dir() and source in resolved.parents:
            raise OutputError(f"{shown}: is inside the input folder {source}; choose another folder")
    if target.is_symlink():
        raise OutputError(f"{shown}: is a symbolic link; give the folder it points to, or a new folder")
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputError(f"{shown}: is a file, not a folder; actionplan will not replace it")
    _refuse_foreign_content(target, command, shown)


def _refuse_foreign_content(target: Path, command: str, shown: str) -> None:
    try:
        if not any(target.iterdir()):
            return
    except OSError as exc:
        raise OutputError(f"{shown}: cannot be read: {_reason(exc)}") from None
    manifest = _read_manifest(target)
    if manifest is None:
        raise OutputError(f"{shown}: holds files that are not an actionplan output "
                          f"(no {MANIFEST}); actionplan replaces only its own output folders")
    made_by = _command_of(manifest) if manifest.get("tool", TOOL) == TOOL else None
    if made_by != command:
        maker = f"`{TOOL} {made_by}`" if made_by else "another tool or an older actionplan"
        raise OutputError(f"{shown}: holds an output of {maker}, not of `{TOOL} {command}`; "
                          "choose another folder")
    stranger = _first_unlisted(target, manifest)
    if stranger is not None:
        raise OutputError(f"{shown}: holds {stranger}, which actionplan did not write; "
                          "move it or choose another folder")


def _read_manifest(folder: Path) -> dict | None:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _command_of(manifest: dict) -> str | None:
    if "tool" in manifest:
        return manifest.get("command")
    # An extract output from before manifests named their command.
    return "extract" if {"schema_version", "package_version", "source"} <= manifest.keys() else None


def _first_unlisted(folder: Path, manifest: dict) -> str | None:
    """The first file, folder or link under ``folder`` that its manifest does not list."""
    files = manifest.get("files")
    if "tool" not in manifest:
        files = None  # an extract output from before manifests listed their files
    elif not (isinstance(files, list) and all(isinstance(f, str) for f in files)):
        return f"a {MANIFEST} without a list of its files"
    return next((relative for relative in _files_under(folder)
                 if relative != MANIFEST and not _is_listed(relative, files)), None)


def _is_listed(relative: str, files: list[str] | None) -> bool:
    if files is None:
        return relative == "debug/" or bool(_LEGACY_EXTRACT_FILE.fullmatch(relative))
    if relative.endswith("/"):  # a folder: listed when a listed file is inside it
        return any(f.startswith(relative) for f in files)
    return relative in files


def _make_parent(target: Path) -> None:
    existing = next(p for p in target.parents if p.exists() or p == p.parent)
    if not existing.is_dir():
        raise OutputError(f"--out {target}: {existing} is a file, not a folder")
    with _creating(target.parent, target):
        target.parent.mkdir(parents=True, exist_ok=True)


@contextlib.contextmanager
def _creating(path: Path, target: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise OutputError(f"--out {target}: cannot create {path}: {_reason(exc)}") from None


def _sibling(target: Path, kind: str, pid: int | None = None) -> Path:
    return target.with_name(f".{target.name}.{kind}-{os.getpid() if pid is None else pid}")


def _leftovers(target: Path, kind: str) -> list[Path]:
    pattern = re.compile(rf"\.{re.escape(target.name)}\.{kind}-\d+")
    try:
        return sorted(p for p in target.parent.iterdir() if pattern.fullmatch(p.name) and p.is_dir())
    except OSError:
        return []


@contextlib.contextmanager
def _lock(target: Path) -> Iterator[None]:
    path = target.with_name(f".{target.name}.{LOCK}")
    with _creating(path, target):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        with _held(fd, path, target):
            yield
    finally:
        os.close(fd)


# Where another process holds the lock: what flock reports (some file systems say EACCES).
_HELD_ERRNOS = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES})


@contextlib.contextmanager
def _held(fd: int, path: Path, target: Path) -> Iterator[None]:
    """An exclusive lock on the open lock file, not waited for. The system drops it when the
    process ends, however it ends (kill -9 included): a lock is never stale. POSIX: flock,
    from the standard library (filelock's import cost 13 ms CPU of an 18-page run's 1.0 s;
    its flock lock is this call). Windows: filelock, whose LockFileEx lock is tested by its
    maintainers there."""
    if os.name == "nt":  # pragma: no cover -- CI runs on Linux
        with _held_on_windows(path, target):
            yield
        return
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _HELD_ERRNOS:
            raise _being_written(target) from None
        # ENOLCK, EOPNOTSUPP: a file system that cannot lock (some network shares)
        raise OutputError(f"--out {target}: cannot lock {path}: {_reason(exc)}") from None
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def _held_on_windows(path: Path, target: Path) -> Iterator[None]:  # pragma: no cover
    from filelock import FileLock, Timeout

    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise _being_written(target) from None
    try:
        yield
    finally:
        lock.release()


def _being_written(target: Path) -> OutputError:
    return OutputError(f"{target} is being written by another actionplan run; wait for it to finish")


def _recover(target: Path) -> None:
    """Under the lock, nobody else is writing: whatever a killed run left is stale. A
    retired old output with no DIR (killed between the two renames) goes back to DIR;
    every other staging or retired folder is removed."""
    retired = _leftovers(target, RETIRED)
    if retired and not target.exists() and not target.is_symlink():
        with _creating(target, target):
            os.rename(retired.pop(), target)
        step(target)
    for leftover in retired + _leftovers(target, STAGING):
        shutil.rmtree(leftover, ignore_errors=True)
        step(leftover)


def _swap_in(staging: Path, target: Path) -> None:
    with _creating(target, target):
        if not target.exists():
            os.rename(staging, target)
            step(target)
            return
        if exchange(staging, target):
            step(target)
            old = staging  # the exchange left the old output under the staging name
        else:
            old = _sibling(target, RETIRED)
            os.rename(target, old)
            step(old)
            os.rename(staging, target)
            step(target)
    shutil.rmtree(old, ignore_errors=True)
    step(old)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE). False where the system
    or the file system does not offer it; other failures raise OSError."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _renameat2():
    if not sys.platform.startswith("linux") or os.environ.get(FAULT_ENV, "").startswith("norenameat2"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):  # a libc older than glibc 2.28, or not glibc
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    function.restype = ctypes.c_int
    return function


# ------------------------------------------------------------------------------ fault hook

_steps_done = 0


def step(path: Path) -> None:
    """Called after every file-system step of writing an output. Does nothing unless the
    crash tests set ``ACTIONPLAN_FAULT`` ("kill@N", "stall@N"; "norenameat2,kill@N" also
    turns the atomic exchange off)."""
    global _steps_done
    _steps_done += 1
    fault = os.environ.get(FAULT_ENV)
    if not fault:
        return
    for part in fault.split(","):
        action, _, number = part.partition("@")
        if number.isdigit() and int(number) == _steps_done:
            _fail(action, path)


def _fail(action: str, path: Path) -> None:
    print(f"{FAULT_ENV}: {action} after step {_steps_done} ({path})", file=sys.stderr, flush=True)
    if action == "stall":
        while True:
            time.sleep(60)
    if action == "kill":
        if hasattr(signal, "SIGKILL"):
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(137)
