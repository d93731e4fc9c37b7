"""The files ``dynalint --fix`` reads and edits: in memory while it works, on disk once, safely, at the end.

Every pass of the fixer lints again what the previous passes changed: the
edited texts are lent to the loader (``dynalint.load.hcl.module_tree.EDITED``) so that
nothing is written before the work is done and ``--diff`` sees exactly what
``--fix`` would write. Writing then refuses, with one line and nothing
written:

- a file that changed on disk since it was read (an editor saved it meanwhile);
- a file whose real path (symbolic links followed) lies outside the trees the
  command works on (the current directory and the paths it names): a link in
  the repository must not make dynalint write elsewhere;
- a file that is not a regular file.

Each file is replaced atomically (a temporary file in its directory, then a
rename onto the real path, so a link stays a link), keeping its permissions,
its byte-order mark and its line endings.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dynalint.fix.source import FileRefused, SourceFile
from dynalint.load.hcl.module_tree import EDITED, MAX_TF_BYTES


@dataclass
class _Original:
    shown: str
    data: bytes
    bom: bool
    text: str


class Workspace:
    """The .tf texts of one fixing run: as read from disk, and as edited so far."""

    def __init__(self, roots: Iterable[str] = ()) -> None:
        self._original: dict[str, _Original] = {}
        self._edited: dict[str, str] = {}
        self._parsed: dict[str, SourceFile] = {}
        self.roots = [os.path.realpath(r) for r in (os.getcwd(), *roots)]

    # ------------------------------------------------------------------ reading
    def file(self, shown: str) -> SourceFile:
        """The file as it stands now (edits of earlier passes applied), parsed."""
        real = os.path.realpath(shown)
        found = self._parsed.get(real)
        if found is None:
            text = self._edited.get(real)
            if text is None:
                text = self._read(real, shown).text
            found = self._parsed[real] = SourceFile.parse(shown, text)
        return found

    def _read(self, real: str, shown: str) -> _Original:
        original = self._original.get(real)
        if original is None:
            path = Path(real)
            data = _read_bytes(path, shown)
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise FileRefused(
                    f"{shown}: not UTF-8 text (byte {exc.start}); Terraform reads .tf files as UTF-8"
                ) from None
            original = self._original[real] = _Original(shown, data, data.startswith(b"\xef\xbb\xbf"), text)
        return original

    @contextlib.contextmanager
    def lent(self) -> Iterator[None]:
        """Let the loader read the edited texts instead of the files on disk."""
        token = EDITED.set(dict(self._edited))
        try:
            yield
        finally:
            EDITED.reset(token)

    # ------------------------------------------------------------------ editing
    def edit(self, shown: str, text: str) -> None:
        real = os.path.realpath(shown)
        self._read(real, shown)
        self._edited[real] = text
        self._parsed.pop(real, None)

    def changed(self) -> list[tuple[str, str, str]]:
        """(shown path, original text, edited text) of every file whose text changed, in path order."""
        out = []
        for real, text in self._edited.items():
            original = self._original[real]
            if text != original.text:
                out.append((original.shown, original.text, text))
        return sorted(out)

    def diff(self) -> str:
        """A unified diff of every change, paths as shown (with control characters escaped)."""
        chunks: list[str] = []
        for shown, before, after in self.changed():
            name = _printable(shown)
            chunks.extend(
                difflib.unified_diff(
                    before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}"
                )
            )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in chunks)

    # ------------------------------------------------------------------ writing
    def write(self) -> list[str]:
        """Write every changed file; refuse (FileRefused, nothing written) when any cannot be written safely."""
        plan = []
        for real, text in sorted(self._edited.items()):
            original = self._original[real]
            if text == original.text:
                continue
            self._check_writable(real, original)
            data = text.encode("utf-8")
            plan.append((real, original, (b"\xef\xbb\xbf" + data) if original.bom else data))
        for real, original, data in plan:
            _replace(real, original.shown, data)
        return [original.shown for _, original, _ in plan]

    def _check_writable(self, real: str, original: _Original) -> None:
        shown = original.shown
        if not any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots):
            raise FileRefused(
                f"{shown}: its real path {_printable(real)} is outside the directories being fixed "
                "(a symbolic link?); dynalint --fix does not write there"
            )
        try:
            info = os.stat(real)
        except OSError as exc:
            raise FileRefused(f"{shown}: cannot write: {exc.strerror or exc}") from None
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"{shown}: not a regular file; dynalint --fix does not write it")
        now = _read_bytes(Path(real), shown)
        if now != original.data:
            raise FileRefused(
                f"{shown}: changed on disk while dynalint was fixing it; nothing was written (run dynalint --fix again)"
            )


def _read_bytes(path: Path, shown: str) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"{shown}: not a regular file")
        if info.st_size > MAX_TF_BYTES:
            raise FileRefused(f"{shown}: larger than dynalint reads in a .tf file")
        return path.read_bytes()
    except OSError as exc:
        raise FileRefused(f"{shown}: cannot read: {exc.strerror or exc}") from None


def _replace(real: str, shown: str, data: bytes) -> None:
    directory = os.path.dirname(real)
    temporary = None
    try:
        mode = stat.S_IMODE(os.stat(real).st_mode)
        handle, temporary = tempfile.mkstemp(prefix=".dynalint-fix-", suffix=".tmp", dir=directory)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, real)
    except OSError as exc:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise FileRefused(f"{shown}: cannot write: {exc.strerror or exc}") from None


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
