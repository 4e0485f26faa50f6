"""``--out DIR`` never destroys what is not actionplan's: what may be replaced, what is
refused (nothing touched), the crash-safe swap under kill -9 after every file-system step,
the lock against a second run, unwritable targets and the user's umask."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clirun import assert_one_line_error, run, run_process
from conftest import SAMPLES

SAMPLE = SAMPLES / "fixtures" / "horizontal-rules-only" / "horizontal-rules-only.pdf"
TABLES = ("characteristics", "actions", "themes", "heatmap", "repairs", "issues")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (and beside it, with ``folder.parent``) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def extract(capsys, out: Path, *extra):
    return run(capsys, "extract", SAMPLE, "--out", out, *extra)


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.") and not p.name.endswith("actionplan-lock"))


# ------------------------------------------------------------------------------ what is refused


def test_a_folder_holding_other_files_is_refused_and_left_alone(tmp_path, capsys):
    out = tmp_path / "d"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"the only copy")
    before = sorted(tmp_path.iterdir())
    code, _, err = extract(capsys, out)
    assert_one_line_error(code, err, str(out), "not an actionplan output")
    assert tree(out) == {"thesis.docx": b"the only copy"}
    assert sorted(tmp_path.iterdir()) == before  # not even a lock file beside it


def test_an_earlier_output_with_a_stranger_inside_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    assert extract(capsys, out, "--debug")[0] == 0
    (out / "debug" / "my-notes.txt").write_text("mine")
    before = tree(out)
    code, _, err = extract(capsys, out)
    assert_one_line_error(code, err, "debug/my-notes.txt", "did not write")
    assert tree(out) == before


def test_a_regular_file_is_not_turned_into_a_folder(tmp_path, capsys):
    target = tmp_path / "somefile"
    target.write_text("keep me")
    code, _, err = extract(capsys, target)
    assert_one_line_error(code, err, "is a file")
    assert target.read_text() == "keep me"


@pytest.mark.parametrize("where", [".", "/", ".."])
def test_the_current_folder_and_its_parents_are_refused(tmp_path, capsys, monkeypatch, where):
    monkeypatch.chdir(tmp_path)
    code, _, err = extract(capsys, Path(where))
    assert_one_line_error(code, err, "current folder")
    assert list(tmp_path.iterdir()) == []


def test_an_out_that_is_or_holds_the_input_is_refused(tmp_path, capsys):
    folder = tmp_path / "work"
    folder.mkdir()
    pdf = folder / "plan.pdf"
    shutil.copy(SAMPLE, pdf)
    for out in (folder, pdf):
        code, _, err = run(capsys, "extract", pdf, "--out", out)
        assert_one_line_error(code, err, "would replace the input")
    assert tree(folder) == {"plan.pdf": SAMPLE.read_bytes()}


def test_an_out_that_holds_the_config_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    assert extract(capsys, out)[0] == 0
    config = out / "settings.toml"
    config.write_text("[timeline]\nfy_start_month = 4\n")
    code, _, err = extract(capsys, out, "--config", config)
    assert_one_line_error(code, err, "would replace the input")
    assert config.is_file()


def test_a_symbolic_link_is_refused(tmp_path, capsys):
    real = tmp_path / "real"
    assert extract(capsys, real)[0] == 0
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    code, _, err = extract(capsys, link)
    assert_one_line_error(code, err, "symbolic link")
    assert link.is_symlink() and (real / "manifest.json").is_file()


def test_diff_will_not_replace_an_extract_output_nor_one_of_its_inputs(tmp_path, capsys):
    old, new = tmp_path / "old", tmp_path / "new"
    assert extract(capsys, old)[0] == 0 and extract(capsys, new)[0] == 0
    for out, phrase in ((old, "would replace the input"), (tmp_path, "would replace the input"),
                        (old / "sub", "inside the input folder")):
        code, _, err = run(capsys, "diff", old, new, "--out", out)
        assert_one_line_error(code, err, phrase)
    third = tmp_path / "third"
    assert extract(capsys, third)[0] == 0
    code, _, err = run(capsys, "diff", old, new, "--out", third)
    assert_one_line_error(code, err, "an output of `actionplan extract`, not of `actionplan diff`")
    assert json.loads((third / "manifest.json").read_text())["command"] == "extract"


# ------------------------------------------------------------------------------ what is replaced


def test_an_empty_folder_and_an_earlier_output_are_replaced(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert extract(capsys, out, "--revision", "first")[0] == 0
    assert extract(capsys, out, "--revision", "second", "--debug")[0] == 0
    assert extract(capsys, out, "--revision", "third")[0] == 0  # debug/ was its own: replaced
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["tool"], manifest["command"], manifest["revision"]) == ("actionplan", "extract", "third")
    assert sorted(manifest["files"]) == sorted(tree(out).keys() - {"manifest.json"})
    assert not (out / "debug").exists() and leftovers(out) == []


def test_diff_writes_a_manifest_and_replaces_its_own_output(tmp_path, capsys):
    old = tmp_path / "old"
    assert extract(capsys, old)[0] == 0
    out = tmp_path / "diff"
    for _ in range(2):
        code, _, err = run(capsys, "diff", old, SAMPLE, "--out", out)
        assert code == 0, err
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["tool"], manifest["command"]) == ("actionplan", "diff")
    assert "new/manifest.json" in manifest["files"] and "report.md" in manifest["files"]
    assert json.loads((out / "new" / "manifest.json").read_text())["command"] == "extract"


def test_an_output_from_before_manifests_named_their_command_is_still_replaced(tmp_path, capsys):
    out = tmp_path / "out"
    assert extract(capsys, out)[0] == 0
    manifest = json.loads((out / "manifest.json").read_text())
    for key in ("tool", "command", "files"):  # as package 0.1.0 wrote it
        del manifest[key]
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert extract(capsys, out, "--revision", "again")[0] == 0
    assert json.loads((out / "manifest.json").read_text())["revision"] == "again"


def test_output_folders_get_the_users_umask(tmp_path, capsys):
    previous = os.umask(0o027)
    try:
        assert extract(capsys, tmp_path / "a" / "out")[0] == 0
        os.umask(0o022)
        assert extract(capsys, tmp_path / "b")[0] == 0
    finally:
        os.umask(previous)
    assert (tmp_path / "a" / "out").stat().st_mode & 0o777 == 0o750
    assert (tmp_path / "b").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "b" / "actions.csv").stat().st_mode & 0o777 == 0o644


# ------------------------------------------------------------------------------ crash safety

# Writes an output the way every command does, labelled with argv[2]; "FAIL" fails after
# the folder is claimed (what a run that dies of bad input does after a killed run).
WRITER = """
import sys
from pathlib import Path
from actionplan.output import output_folder, write_manifest, write_text
target, label = Path(sys.argv[1]), sys.argv[2]
with output_folder(target, "extract") as folder:
    if label == "FAIL":
        sys.exit(1)
    for name in ("a.csv", "b.csv"):
        write_text(folder / name, label)
    write_manifest(folder, {"revision": label})
"""


def write(out: Path, label: str, fault: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ACTIONPLAN_FAULT": fault} if fault else None
    return subprocess.run([sys.executable, "-c", WRITER, str(out), label], env=env,
                          capture_output=True, text=True, timeout=60)


def state(out: Path) -> str | None:
    """"old" or "new" when DIR holds that whole output, None when DIR is missing."""
    if not out.exists():
        return None
    labels = {(out / name).read_text() for name in ("a.csv", "b.csv")}
    labels.add(json.loads((out / "manifest.json").read_text())["revision"])
    assert len(labels) == 1, f"a mix of outputs: {labels}"
    return labels.pop()


@pytest.mark.parametrize("swap", ["exchange", "two renames"])
def test_a_kill_after_any_step_leaves_the_old_or_the_new_output(tmp_path, swap):
    out = tmp_path / "out"
    assert write(out, "old").returncode == 0
    option = "norenameat2," if swap == "two renames" else ""
    missing_after = []
    for step in itertools.count(1):
        result = write(out, "new", fault=f"{option}kill@{step}")
        if result.returncode == 0:
            break  # past the last step: the run completed
        assert result.returncode == -9, result.stderr
        seen = state(out)
        if seen is None:
            missing_after.append(step)
        # The next run, whatever it does, first restores or cleans up what was left.
        assert write(out, "FAIL").returncode == 1
        assert state(out) == (seen or "old") and leftovers(out) == []
        assert write(out, "old").returncode == 0
    assert state(out) == "new" and leftovers(out) == []
    assert step > 5  # staging, two files, manifest, swap, removal: each was a kill point
    if swap == "exchange":
        assert missing_after == []  # never neither
    else:
        assert len(missing_after) == 1  # only between the two renames, and restored


def test_a_second_run_is_refused_while_the_first_writes(tmp_path, capsys):
    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-c", WRITER, str(out), "first"],
                             env={**os.environ, "ACTIONPLAN_FAULT": "stall@1"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not leftovers(out) and time.monotonic() < deadline:  # its staging folder
            time.sleep(0.05)
        code, _, err = extract(capsys, out)
        assert_one_line_error(code, err, f"{out} is being written by another actionplan run")
    finally:
        first.kill()
        first.wait()
    code, _, err = extract(capsys, out)  # the killed run's staging is cleaned up
    assert code == 0, err
    assert leftovers(out) == []


def test_two_runs_at_once_one_wins_and_none_crashes(tmp_path):
    out = tmp_path / "out"
    for _ in range(2):
        runs = [subprocess.Popen([sys.executable, "-m", "actionplan", "extract", str(SAMPLE), "--out", str(out)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(r.wait(timeout=300), r.stderr.read()) for r in runs]
        for r in runs:
            r.stdout.close()
            r.stderr.close()
        assert {code for code, _ in results} <= {0, 2} and 0 in {code for code, _ in results}, results
        for code, err in results:
            if code == 2:
                assert_one_line_error(code, err, "is being written by another actionplan run")
        assert {f"{t}.parquet" for t in TABLES} <= set(tree(out)) and leftovers(out) == []


@pytest.mark.skipif(os.name == "nt", reason="Windows locks through filelock (LockFileEx)")
def test_the_lock_is_the_systems_flock_and_no_lock_library_is_loaded(tmp_path):
    """While a run writes, its lock file is flock-ed: anyone else's flock is refused, and
    the system drops the lock with the process (no stale lock after a kill -9, above).
    The run loads no lock library for it."""
    import fcntl

    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-c", WRITER, str(out), "first"],
                             env={**os.environ, "ACTIONPLAN_FAULT": "stall@1"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock_file = tmp_path / ".out.actionplan-lock"
    try:
        deadline = time.monotonic() + 60
        while not leftovers(out) and time.monotonic() < deadline:
            time.sleep(0.05)
        with open(lock_file, "rb") as handle, pytest.raises(BlockingIOError):
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        first.kill()
        first.wait()
    with open(lock_file, "rb") as handle:  # the killed writer's lock went with it
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    script = ("import sys; from actionplan.cli import main; "
              f"code = main(['extract', {str(SAMPLE)!r}, '--out', {str(tmp_path / 'again')!r}]); "
              "print(code, 'filelock' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.stdout.splitlines()[-1:] == ["0 False"], result.stderr


# ------------------------------------------------------------------------------ unwritable


def test_a_parent_that_is_a_file(tmp_path, capsys):
    (tmp_path / "file.txt").write_text("x")
    code, _, err = extract(capsys, tmp_path / "file.txt" / "out")
    assert_one_line_error(code, err, f"{tmp_path / 'file.txt'} is a file, not a folder")


def test_a_folder_in_proc(capsys):
    code, _, err = extract(capsys, Path("/proc/x"))
    assert_one_line_error(code, err, "/proc/x", "No such file or directory")


def _in_private_mount(script: str, mount_point: Path, options: str) -> list[str]:
    """Run ``script`` (sh) with a fresh tmpfs on ``mount_point``, in a mount namespace of
    its own: the machine's mounts are untouched."""
    mount_point.mkdir()
    root = os.geteuid() == 0
    return ["unshare", "--mount" if root else "--map-root-user", *([] if root else ["--mount"]),
            "sh", "-c", f"mount -t tmpfs -o {options} none '{mount_point}' && {script}"]


def test_a_read_only_file_system(tmp_path):
    mount = tmp_path / "ro"
    command = f"exec '{sys.executable}' -m actionplan extract '{SAMPLE}' --out '{mount}/out'"
    result = subprocess.run(_in_private_mount(command, mount, "ro,size=1m"),
                            capture_output=True, text=True, timeout=300)
    assert_one_line_error(result.returncode, result.stderr, f"{mount}/out", "Read-only file system")


def test_a_full_disk(tmp_path):
    mount = tmp_path / "small"
    command = (f"'{sys.executable}' -m actionplan extract '{SAMPLE}' --out '{mount}/out'; code=$?; "
               f"ls -A '{mount}'; exit $code")
    result = subprocess.run(_in_private_mount(command, mount, "size=16k"),
                            capture_output=True, text=True, timeout=300)
    assert_one_line_error(result.returncode, result.stderr, f"{mount}/out", "No space left on device")
    assert result.stdout.split() == [".out.actionplan-lock"]  # the staging folder is gone


def test_no_permission(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    # root ignores permissions: drop its capabilities for the run, as a normal user has none.
    prefix = ("setpriv", "--inh-caps=-all", "--bounding-set=-all") if os.geteuid() == 0 else ()
    result = run_process("extract", SAMPLE, "--out", locked / "out", prefix=prefix)
    assert_one_line_error(result.returncode, result.stderr, str(locked), "Permission denied")
    assert list(locked.iterdir()) == []
