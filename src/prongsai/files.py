"""Writing output files: never over an input, never half of one, and every failure said in words.

Every command that writes goes through this module:

- :func:`check_outputs` (and :func:`check_output_folder`) before any work: an output that is one of
  the command's inputs (the same file, also through ``./``, a symbolic link or a hard link), an
  output that is a folder or a device, a parent folder that is a file or cannot be written — every
  problem at once, each naming the path.
- :func:`write_atomically` for one file and :func:`write_all_atomically` for several that belong
  together: each file is written to a temporary file in its own folder and renamed over the target,
  so a reader sees the old file or the new one, never half of one; several files are all written
  first and then renamed, and if a rename fails the files already replaced are put back. A write
  that fails (disk full, no permission, read-only disk) leaves nothing behind — no temporary file,
  no folder made for the output — and is an :class:`InputError` naming the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from prongsai.errors import InputError
from prongsai.problems import Location, Problem, error

# option or argument name -> the path(s) it named (None or () when it was not given)
Inputs = Mapping[str, Path | Sequence[Path] | None]

_NAME_BYTES = 200  # a temporary file's name keeps at most this much of the target's name (NAME_MAX is 255)


# --------------------------------------------------------------------------------------------------
# Checks before the work
# --------------------------------------------------------------------------------------------------


def check_outputs(outputs: Sequence[Path], inputs: Inputs | None = None) -> None:
    """Raise one InputError with every reason any of ``outputs`` cannot be written safely.

    Checked on the file system as it is now: each output's folder (the nearest one that exists must
    be a folder this process can write in; missing folders are made when writing), and each output
    that exists (it must be a regular file and not one of ``inputs``, compared by device and inode so
    that ``./r.yaml``, ``r.yaml``, a symbolic link and a hard link are all recognised)."""
    problems: list[Problem] = []
    folders_seen: set[Path] = set()
    for output in outputs:
        folder = output.absolute().parent
        if folder not in folders_seen:
            folders_seen.add(folder)
            problems += _folder_problems(folder, output)
    identities = _identities(inputs or {})
    for output in outputs:
        problems += _target_problems(output, identities)
    if problems:
        raise InputError(problems)


def check_output_folder(folder: Path, inputs: Inputs | None = None) -> None:
    """Raise an InputError if files cannot be written into ``folder`` (made when missing)."""
    where = Location(file=folder.name or str(folder))
    identities = _identities(inputs or {})
    try:
        status = os.stat(folder)
    except (FileNotFoundError, NotADirectoryError):
        status = None
    except OSError as exc:
        raise InputError([_os_problem(exc, folder)]) from None
    if status is not None and not stat.S_ISDIR(status.st_mode):
        if (status.st_dev, status.st_ino) in identities:
            option, given = identities[(status.st_dev, status.st_ino)]
            raise InputError([error("output_is_input", where, path=folder, option=option, input=given)])
        raise InputError([error("output_folder_is_file", where, path=folder)])
    problems = _folder_problems(folder.absolute(), folder)
    if problems:
        raise InputError(problems)


def _identities(inputs: Inputs) -> dict[tuple[int, int], tuple[str, Path]]:
    """(device, inode) of every input that exists -> (option, path as given)."""
    found: dict[tuple[int, int], tuple[str, Path]] = {}
    for option, given in inputs.items():
        paths: Iterable[Path] = () if given is None else [given] if isinstance(given, Path) else given
        for path in paths:
            try:
                status = os.stat(path)
            except (OSError, ValueError):  # a missing input is reported by its reader
                continue
            found.setdefault((status.st_dev, status.st_ino), (option, path))
    return found


def _folder_problems(folder: Path, output: Path) -> list[Problem]:
    """The nearest existing folder of ``folder`` must be a folder this process may write in."""
    where = Location(file=output.name or str(output))
    current = folder
    while True:
        try:
            status = os.stat(current)
        except (FileNotFoundError, NotADirectoryError):
            if current.parent == current:
                return []
            current = current.parent
            continue
        except OSError as exc:
            return [_os_problem(exc, output)]
        break
    if not stat.S_ISDIR(status.st_mode):
        return [error("output_parent_not_folder", where, path=output, parent=current)]
    if not os.access(current, os.W_OK | os.X_OK):
        return [error("output_no_permission", where, path=output, folder=current)]
    return []


def _target_problems(output: Path, identities: Mapping[tuple[int, int], tuple[str, Path]]) -> list[Problem]:
    where = Location(file=output.name or str(output))
    try:
        status = os.stat(output)  # follows a symbolic link to what it names
    except (FileNotFoundError, NotADirectoryError):
        return []  # a new file, or a folder problem reported above
    except OSError as exc:
        return [_os_problem(exc, output)]
    if stat.S_ISDIR(status.st_mode):
        return [error("output_is_folder", where, path=output)]
    if not stat.S_ISREG(status.st_mode):
        return [error("output_not_regular", where, path=output)]
    if (status.st_dev, status.st_ino) in identities:
        option, given = identities[(status.st_dev, status.st_ino)]
        return [error("output_is_input", where, path=output, option=option, input=given)]
    return []


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write through a temporary file in the same folder: the target is complete or untouched.

    Missing folders are made (and removed again if the write fails). An OSError becomes an
    InputError naming the path; nothing is left behind."""
    made: list[Path] = []
    temporary: Path | None = None
    try:
        made = _make_folders(path.parent)
        temporary = _write_temporary(path, data)
        os.replace(temporary, path)
    except OSError as exc:
        _discard([temporary] if temporary else [], made)
        raise InputError([_os_problem(exc, path)]) from None
    except BaseException:
        _discard([temporary] if temporary else [], made)
        raise


def write_all_atomically(files: Mapping[Path, bytes | str]) -> None:
    """Write several files that belong together: all of them, or none.

    Every file is first written to a temporary file next to its target; only when all are written
    are they renamed into place. If a rename fails, the targets already replaced get their earlier
    content back (a hard link kept as a backup, or a copy where the file system has no hard links)
    and the new ones are removed. An OSError becomes an InputError naming the file it hit."""
    made: list[Path] = []
    temporaries: dict[Path, Path] = {}
    current = next(iter(files), Path("."))
    try:
        for path, data in files.items():
            current = path
            made += _make_folders(path.parent)
            temporaries[path] = _write_temporary(path, data)
        _move_all(temporaries)
    except OSError as exc:
        _discard(list(temporaries.values()), made)
        raise InputError([_os_problem(exc, _target_of(exc, temporaries, current))]) from None
    except BaseException:
        _discard(list(temporaries.values()), made)
        raise


def _target_of(exc: OSError, temporaries: Mapping[Path, Path], current: Path) -> Path:
    """The output an OSError was about (a rename names the temporary file and the target)."""
    named = {str(exc.filename), str(exc.filename2)}
    for target, temporary in temporaries.items():
        if str(target) in named or str(temporary) in named:
            return target
    return current


def _move_all(temporaries: Mapping[Path, Path]) -> None:
    """Rename each temporary file over its target; on any failure undo the renames already made."""
    replaced: list[tuple[Path, Path | None]] = []  # (target, backup of its earlier content or None)
    backup: Path | None = None
    try:
        for target, temporary in temporaries.items():
            backup = _backup(target)
            os.replace(temporary, target)
            replaced.append((target, backup))
            backup = None
    except BaseException:
        if backup is not None:
            backup.unlink(missing_ok=True)
        for target, earlier in reversed(replaced):
            try:
                if earlier is None:
                    target.unlink(missing_ok=True)
                else:
                    os.replace(earlier, target)
            except OSError:  # putting back is best effort; the first error is the one reported
                pass
        raise
    for _, earlier in replaced:
        if earlier is not None:
            earlier.unlink(missing_ok=True)


def _backup(target: Path) -> Path | None:
    """A second name for the target's present content (None if there is no target yet)."""
    if not os.path.lexists(target):
        return None
    while True:
        backup = target.with_name(f"{_prefix(target)}{secrets.token_hex(4)}")
        try:
            os.link(target, backup, follow_symlinks=False)
            return backup
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK, errno.EACCES):
                raise
            shutil.copy2(target, backup, follow_symlinks=False)  # no hard links on this file system
            return backup


def _prefix(target: Path) -> str:
    """``.<name>.``: the batch finds its own leftovers by this prefix (prongsai.batch.pending)."""
    name = target.name
    while len(name.encode("utf-8")) > _NAME_BYTES:
        name = name[: len(name) * 3 // 4]
    return f".{name}."


def _write_temporary(path: Path, data: str | bytes) -> Path:
    handle, temporary = tempfile.mkstemp(prefix=_prefix(path), dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(temporary, 0o666 & ~_umask())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents before several processes write into it; the folders
    made, for :func:`remove_empty_folders`. An OSError is an InputError naming the folder."""
    try:
        return _make_folders(folder)
    except OSError as exc:
        raise InputError([_os_problem(exc, folder)]) from None


def remove_empty_folders(folders: Sequence[Path]) -> None:
    """Remove those of ``folders`` (as :func:`make_folders` returned them) that stayed empty."""
    _discard([], folders)


def _make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; the folders made, outermost first. Another process
    making the same folder at the same moment is no error (a batch's workers share one folder)."""
    missing: list[Path] = []
    current = folder
    while not current.is_dir():
        if current.parent == current:
            break
        missing.append(current)
        current = current.parent
    made: list[Path] = []
    try:
        for each in reversed(missing):
            try:
                each.mkdir()
            except FileExistsError:
                if not each.is_dir():
                    raise
                continue
            made.append(each)
    except BaseException:
        _discard([], made)
        raise
    return made


def _discard(temporaries: Sequence[Path], folders: Sequence[Path]) -> None:
    for temporary in temporaries:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _umask() -> int:
    """The process umask (mkstemp creates files readable by the owner only)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _os_problem(exc: OSError, path: Path) -> Problem:
    """An operating-system error while writing ``path``, as a located problem in both languages."""
    where = Location(file=path.name or str(path))
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return error("output_disk_full", where, path=path)
    if code in (errno.EACCES, errno.EPERM):
        return error("output_no_permission", where, path=path, folder=path.parent)
    if code == errno.EROFS:
        return error("output_read_only", where, path=path)
    if code == errno.EISDIR:
        return error("output_is_folder", where, path=path)
    if code in (errno.ENOTDIR, errno.EEXIST):
        return error("output_parent_not_folder", where, path=path, parent=_first_file(path.parent))
    return error("output_write_failed", where, path=path, detail=exc.strerror or type(exc).__name__)


def _first_file(folder: Path) -> Path:
    """The part of ``folder`` that is a file (where a folder was expected)."""
    for each in [*reversed(folder.absolute().parents), folder.absolute()]:
        if each.exists() and not each.is_dir():
            return each
    return folder
