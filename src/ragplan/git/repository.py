"""git -> plan files at a revision: the only module that runs git.

Every user-given revision is resolved with `rev-parse --verify --end-of-options` to
a commit hash first, so no user string ever reaches git as an option; later calls
get only the hash. Files are read from git objects (ls-tree, cat-file --batch):
no checkout, no temporary work tree.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.errors import GitError
from ..core.fields import PLAN_PARTS

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_SUFFIXES = (".yaml", ".yml")


def is_iso_day(text: str) -> bool:
    return _ISO_DAY.match(text) is not None


MISSING = "missing"  # objects(): no such object, or a link that leads nowhere


@dataclass(frozen=True, slots=True)
class Revision:
    """A commit that changed a file: who, when, and the file's name in it."""

    sha: str
    author: str
    on: date
    name: str  # the file's path in that commit, relative to the work tree's top


@dataclass(frozen=True, slots=True)
class Commit:
    """A commit that changed files of a folder: who, when, why, and which files (each
    with True when the commit deleted it)."""

    sha: str
    author: str
    when: str  # ISO 8601, as git gives it
    message: str
    files: tuple[tuple[str, bool], ...]


class Repository:
    """A git work tree, found from a folder inside it."""

    def __init__(self, inside: Path) -> None:
        folder = inside if inside.is_dir() else inside.parent
        self.cwd = folder
        result = self._run("rev-parse", "--show-toplevel", check=False)
        if result.returncode != 0:
            raise GitError(
                f"{inside} is not inside a git repository, so --since cannot name a git revision",
                "name a snapshot instead, or run ragplan inside the plan's repository",
            )
        self.root = Path(result.stdout.decode().strip())
        self._top: Path | None = None  # the root with every link resolved, once needed

    def _run(
        self, *args: str, check: bool = True, stdin: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        try:
            result = subprocess.run(
                ["git", *args], cwd=self.cwd, input=stdin, capture_output=True, check=False
            )
        except FileNotFoundError:
            raise GitError(
                "git is not installed, so --since cannot read history",
                "install git, or name a snapshot instead",
            ) from None
        if check and result.returncode != 0:
            raise GitError(
                f"git {args[0]} failed: {result.stderr.decode(errors='replace').strip()}"
            )
        return result

    def resolve(self, revision: str, what: str = "--since") -> str:
        """The commit hash a tag, branch, commit or expression names (`what`: the option
        or argument it came from, for messages)."""
        if not revision or revision.startswith("-") or "\0" in revision:
            raise GitError(
                f"{what} {revision!r} is not a revision",
                "name a tag, branch, commit, snapshot or date (YYYY-MM-DD)",
            )
        result = self._run(
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{revision}^{{commit}}",
            check=False,
        )
        if result.returncode != 0:
            raise GitError(
                f"{what} {revision!r}: no such revision in this repository",
                self._shallow_hint()
                or "name a tag, branch, commit, snapshot or date (YYYY-MM-DD); for "
                "origin/main, fetch it first",
            )
        return result.stdout.decode().strip()

    def _shallow_hint(self) -> str | None:
        """In a shallow clone (CI's default), the fix is to fetch more history."""
        out = self._run("rev-parse", "--is-shallow-repository", check=False).stdout
        if out.strip() == b"true":
            return (
                "this clone is shallow: fetch more history (`fetch-depth: 0` in "
                "actions/checkout, or `git fetch --unshallow`)"
            )
        return None

    def commit_at_or_before(self, day: date, what: str = "--since") -> str:
        """The last commit on HEAD's history made at or before the end of that day."""
        result = self._run(
            "rev-list", "-1", f"--before={day.isoformat()}T23:59:59", "HEAD", check=False
        )
        sha = result.stdout.decode().strip()
        if result.returncode != 0 or not sha:
            raise GitError(
                f"{what} {day.isoformat()}: no commit at or before that date",
                self._shallow_hint() or "give a later date, or a snapshot name",
            )
        return sha

    def commit_date(self, sha: str) -> date:
        out = self._run("show", "-s", "--format=%cI", sha).stdout.decode().strip()
        return date.fromisoformat(out[:10])

    def relative(self, path: Path) -> str:
        """`path` relative to the work tree's top, as git names it."""
        top = self._top
        if top is None:
            top = self._top = Path(os.path.realpath(self.root))
        return Path(os.path.realpath(path)).relative_to(top).as_posix()

    def plan_files(
        self,
        sha: str,
        folders: list[Path],
        current: Mapping[str, tuple[Path, bytes, str]] | None = None,
    ) -> dict[Path, dict[Path, bytes | None]]:
        """The YAML files of these plan folders at a commit: for each folder, its files
        keyed by their work-tree path.

        One `ls-tree` and one `cat-file --batch` for all the folders, however many. A
        symbolic link is followed inside the commit's tree; one that leads out of the
        repository maps to None (SPEC 1: named, never read), a dangling one is left out.
        `current`: the files this run read (their Path and bytes) by the path's text; a
        file whose object name (SHA-1) is theirs is not fetched, and its Path is shared
        (most files are unchanged since the base).
        """
        prefixes = {self.relative(folder): folder for folder in folders}
        pathspecs = [prefix or "." for prefix in prefixes]
        listing = self._run("ls-tree", "-r", "-z", "--full-tree", sha, "--", *pathspecs).stdout
        # "plans/x/actions" -> (its folder, plans/x, the folder's text and a separator)
        parts: dict[str, tuple[Path, Path, str]] = {}
        wanted: list[tuple[str, Path, Path]] = []  # (request, path, plan folder)
        files: dict[Path, dict[Path, bytes | None]] = {}
        for entry in listing.decode("utf-8", "surrogateescape").split("\0"):
            if entry[6:12] == " blob " and entry[52:53] == "\t":  # SHA-1 names: by place
                mode, blob, name = entry[:6], entry[12:52], entry[53:]
            elif entry:
                meta, name = entry.split("\t", 1)
                mode, kind, blob = meta.split()
                if kind != "blob":
                    continue
            else:
                continue
            if not name.endswith(_SUFFIXES) or "\n" in name:
                continue
            head, _, file = name.rpartition("/")
            if file == "plan.yaml" and head in prefixes:
                folder = plan = prefixes[head]
                within = ""
            else:
                found = parts.get(head)
                if found is None:
                    parent, _, sub = head.rpartition("/")
                    if sub not in PLAN_PARTS or parent not in prefixes:
                        continue
                    folder = prefixes[parent] / sub
                    found = parts[head] = (folder, prefixes[parent], str(folder) + os.sep)
                folder, plan, within = found
            if within and mode != "120000" and current is not None:
                held = current.get(within + file)  # a Path costs more than its text
                if held is not None and held[2] == blob:
                    files.setdefault(plan, {})[held[0]] = held[1]
                    continue
            request = f"{sha}:{name}" if mode == "120000" else blob
            wanted.append((request, folder / file, plan))
        contents = self.objects([request for request, _, _ in wanted])
        for (_, path, plan), content in zip(wanted, contents, strict=True):
            if content is not MISSING:
                files.setdefault(plan, {})[path] = content if isinstance(content, bytes) else None
        return files

    def plan_folders(self, sha: str, root: Path) -> list[Path]:
        """The folders at or below `root` that held a plan.yaml at a commit, as paths
        under `root` (as the work tree names them)."""
        prefix = self.relative(root)
        listing = self._run(
            "ls-tree", "-r", "-z", "--name-only", "--full-tree", sha, "--", prefix or "."
        ).stdout.decode("utf-8", "surrogateescape")
        start = f"{prefix}/" if prefix else ""
        folders = []
        for name in listing.split("\0"):
            if name == f"{start}plan.yaml":
                folders.append(root)
            elif name.startswith(start) and name.endswith("/plan.yaml"):
                folders.append(root / name[len(start) : -len("/plan.yaml")])
        return sorted(folders)

    def objects(self, requests: list[str]) -> list[bytes | str | None]:
        """Blobs named `sha` or `commit:path`, in one `cat-file --batch`: the bytes; None
        for a symbolic link that leads out of the repository (never read); MISSING."""
        if not requests:
            return []
        names = "".join(f"{r}\n" for r in requests).encode("utf-8", "surrogateescape")
        batch = self._run("cat-file", "--batch", "--follow-symlinks", stdin=names).stdout
        found: list[bytes | str | None] = []
        offset = 0
        for _ in requests:
            header_end = batch.index(b"\n", offset)
            header = batch[offset:header_end].split()
            offset = header_end + 1
            if header[-1] == b"missing" or header[0] in (b"dangling", b"loop", b"notdir"):
                if header[0] in (b"dangling", b"loop", b"notdir"):
                    offset += int(header[-1]) + 1
                found.append(MISSING)
                continue
            size = int(header[-1])
            content = batch[offset : offset + size]
            offset += size + 1
            if len(header) == 3 and header[1] == b"blob":
                found.append(content)
            elif header[0] == b"symlink":  # leads out of the repository
                found.append(None)
            else:
                found.append(MISSING)
        return found

    def file_log(self, path: Path) -> list[Revision]:
        """Each commit that changed the file now at `path`, newest first, with the name
        the file had in it (`git log --follow`: one process for the whole history)."""
        out = self._run(
            "log",
            "--follow",
            "--name-only",
            "--format=%x1e%H%x1f%an%x1f%aI",
            "-z",
            "--end-of-options",
            "HEAD",
            "--",
            str(path.resolve()),  # absolute: git runs in the plan folder, not at the top
            check=False,
        )
        if out.returncode != 0:  # no commit yet, or an unborn branch
            return []
        revisions = []
        for record in out.stdout.decode("utf-8", "surrogateescape").split("\x1e"):
            head, _, rest = record.partition("\0")
            name = rest.strip("\n\0").split("\0")[0]
            fields = head.split("\x1f")
            if len(fields) != 3 or not name:
                continue
            sha, author, when = fields
            revisions.append(Revision(sha, author, date.fromisoformat(when[:10]), name))
        return revisions

    def folder_log(self, folder: Path) -> list[Commit]:
        """Each commit that changed a file below `folder`, oldest first, with the files'
        paths in it (relative to the work tree's top) and whether each was deleted (one
        `git log` for the whole history)."""
        out = self._run(
            "log",
            "--reverse",
            "--name-status",
            "--no-renames",
            "--format=%x1e%H%x1f%an%x1f%aI%x1f%s",
            "-z",
            "--end-of-options",
            "HEAD",
            "--",
            str(folder.resolve()),
            check=False,
        )
        if out.returncode != 0:  # no commit yet
            return []
        commits = []
        for record in out.stdout.decode("utf-8", "surrogateescape").split("\x1e"):
            head, _, rest = record.partition("\0")
            fields = head.strip("\n").split("\x1f")
            if len(fields) != 4:
                continue
            sha, author, when, message = fields
            parts = [p for p in rest.strip("\n\0").split("\0") if p]
            changed = tuple(
                (parts[i + 1], parts[i].startswith("D")) for i in range(0, len(parts) - 1, 2)
            )
            commits.append(Commit(sha, author, when, message, changed))
        return commits
