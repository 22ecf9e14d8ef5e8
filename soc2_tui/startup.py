"""How every front end starts: the question banks, the assessment file and who is answering.

The CLI, the Textual app and quick mode all call these, so a new global option or a new start-up
notice is written once. Nothing here imports a UI library.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from soc2_tui.model import Assessment, BankSet, Questionnaire
    from soc2_tui.store import Store

DEFAULT_DB = "soc2-readiness.db"


def db_path(cli_value: str | None = None) -> Path:
    """The assessment file: --db, else $SOC2_TUI_DB, else ./soc2-readiness.db."""
    return Path(cli_value or os.environ.get("SOC2_TUI_DB") or DEFAULT_DB)


def load_banks(cli_dirs: Iterable[str] | None = None) -> Questionnaire:
    """The built-in banks plus --questionnaires and $SOC2_TUI_QUESTIONNAIRES (raises ContentError)."""
    from soc2_tui import banks, paths

    return banks.load_questionnaire(extra=paths.extra_questionnaire_dirs(list(cli_dirs or [])))


def new_banks(bank_paths: Iterable[str] = (), no_builtin: bool = False,
              cli_dirs: Iterable[str] | None = None) -> tuple[Questionnaire, BankSet]:
    """The banks of a new assessment and the set to record: the built-in banks (unless
    `no_builtin`), every --bank PATH and the --questionnaires and $SOC2_TUI_QUESTIONNAIRES folders
    given now, each recorded as its absolute path, so later commands find them without the option
    or the variable (raises ContentError, or UserError for --no-builtin without a bank)."""
    from soc2_tui import banks, paths
    from soc2_tui.banks import sets
    from soc2_tui.errors import UserError

    given = [*bank_paths, *map(str, paths.extra_questionnaire_dirs(list(cli_dirs or [])))]
    if no_builtin and not given:
        raise UserError("--no-builtin needs at least one --bank PATH: an assessment needs a question bank")
    q = banks.load_questionnaire(extra=[Path(p) for p in given], builtin=not no_builtin)
    if no_builtin and not q.scored_items:
        raise UserError(f"no control or policy found in {', '.join(given)}: nothing to score")
    return q, sets.record(q, not no_builtin, given)


def assessment_banks(a: Assessment | None, cli_dirs: Iterable[str] | None = None, store: Store | None = None,
                     by: str = "", say: bool = True, loaded: Questionnaire | None = None) -> Questionnaire:
    """The banks one assessment is scored against: its recorded set (the built-in banks alone for
    None), plus --questionnaires and $SOC2_TUI_QUESTIONNAIRES for this command. With the store:
    answers follow renamed items (`replaces:`, moved once, in the history), each answer given from
    now records its basis, and the result carries a notice for each recorded bank not found or
    changed (scoring warns with them). `say`: the moves are told on stderr. `loaded`: the banks
    already loaded for this set (the app's, for an assessment with the built-in banks alone)."""
    from soc2_tui import banks, paths
    from soc2_tui.banks import sets
    from soc2_tui.errors import UserError

    src = sets.sources(a.bank_set if a else None, paths.extra_questionnaire_dirs(list(cli_dirs or [])))
    q = loaded or banks.load_questionnaire(extra=list(src.paths), builtin=src.builtin)
    if store is None or a is None:
        return q
    renames = sets.renames(q)
    if renames:
        try:
            moved = store.follow_replaces(a.id, renames, q.items, by=by)
        except UserError as exc:  # a read-only file: the old answers stay (shown as orphaned) until it can be written
            moved = []
            if say:
                print(f"soc2-tui: warning: answers to renamed items were not moved: {exc}", file=sys.stderr)
        if moved and say:
            from soc2_tui.terminal import safe

            print(safe(f"soc2-tui: moved the answers of renamed items in {a.name!r} (recorded in its history): "
                       + ", ".join(f"{old} → {new}" for old, new in moved)), file=sys.stderr)
    store.basis[a.id] = sets.basis(q)
    store.renamed[a.id] = {old: new for new, olds in renames.items() for old in olds}
    return sets.with_notices(q, sets.notices(q, a, store.bases(a.id), src))


def open_store(cli_value: str | None = None, *, create: bool = True, warn_readable: bool = True,
               later: bool = False) -> Store:
    """Open (or create) the assessment file, telling stderr what the user should know.

    A migrated file names its backup; a file others can read gets a `chmod 600` hint (the app
    skips it: the warning would be hidden under the full screen at once). With `later` a missing
    file is made by the first write, not now (the app: starting and quitting leaves nothing).
    """
    from soc2_tui.store import Store
    from soc2_tui.terminal import safe

    store = Store(db_path(cli_value), create=create, later=later)
    path = safe(str(store.path))
    if store.backup_path:
        print(f"soc2-tui: migrated {path}; the previous version is kept in {safe(str(store.backup_path))}",
              file=sys.stderr)
    if store.interrupted_backup:
        print(f"soc2-tui: another program had stopped while writing to {path}; its unfinished write was "
              f"undone, and the file as found is kept in {safe(str(store.interrupted_backup))}", file=sys.stderr)
    if store.network_filesystem:
        print(network_warning(store), file=sys.stderr)
    if warn_readable and store.world_readable:
        print(f"soc2-tui: warning: {path} is readable by other users; run: chmod 600 {path}",
              file=sys.stderr)
    return store


def network_warning(store: Store) -> str:
    """Said once when the file is on a network or sync folder, where SQLite's WAL is not safe."""
    from soc2_tui.terminal import safe

    return (f"soc2-tui: warning: {safe(str(store.path))} is on a network or synced folder "
            f"({safe(store.network_filesystem or '')}); "
            "SQLite cannot share it safely between terminals there, so answers can be lost or the file "
            "corrupted. Keep the file on a local disk (copy it there, work, copy it back)")


def given_respondent(cli_value: str | None = None) -> str | None:
    """Who is answering, when the user said so: --as, else $SOC2_TUI_AS; None when neither.

    The name is stored with every change and shown in the history and the app: a name holding
    a control or bidi character (an escape sequence, a line break) is refused (UserError).
    """
    name = cli_value or os.environ.get("SOC2_TUI_AS") or None
    return None if name is None else check_respondent(name)


def check_respondent(name: str) -> str:
    """`name` in NFC (the form names are stored and compared in), unless it holds a control or
    bidi character (then UserError, shown visibly)."""
    from soc2_tui.errors import UserError
    from soc2_tui.terminal import has_controls, nfc, safe

    if has_controls(name):
        raise UserError(f"a respondent name (--as, $SOC2_TUI_AS) must be one line without control "
                        f"or bidi characters: {safe(name)}")
    return nfc(name)


def login_name() -> str:
    """The login name, offered as the default answer when the app or quick mode asks who it is:
    getpass.getuser() ($LOGNAME, $USER, $LNAME, $USERNAME, else the account database); '' when
    none gives one (a container running as a user id with no account)."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # OSError from 3.13; KeyError (pwd) and ImportError before
        return ""


def respondent(cli_value: str | None = None) -> str:
    """Who is answering, for commands that never ask: as given, else the login name."""
    return given_respondent(cli_value) or login_name()
