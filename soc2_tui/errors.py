"""Errors that reach a user as one line and exit code 2."""


class UserError(Exception):
    """A problem the user can fix (bad input, bad file, bad name). Shown as one line."""

    exit_code = 2
