"""Quick mode: the assessment as plain prompts (questionary), for any terminal.

`soc2-tui quick [NAME] [--section ID] [--only unanswered|gaps] [--as RESPONDENT]`

The only package that imports questionary (it costs about 100 ms of start-up, so `cli` imports
it inside the `quick` handler only). Every answer is saved the moment it is given; Ctrl-C at any
prompt stops cleanly and running the same command again carries on.

Which questions a run asks (see docs/quick-mode.md):
- no --section, no --only: the unanswered scope questions (offered first), then every
  applicable control and policy item that has no status yet;
- --section ID: every applicable item of that section, starting at the first unanswered one
  ("Back" reaches the earlier ones); on a scope section, every question of it with the current
  answer as the default;
- --only unanswered: only items with no status (and unanswered scope questions);
- --only gaps: only answered items below the target status for the report type (no scope).

The modules, in the order a run uses them:
- entry: `run(args, prompter=None)`, the steps of a run, Ctrl-C and errors, the exit code;
- session: the assessment file, who is answering, choosing or creating the assessment;
- scope: the scope questions;
- items: the control and policy questions (the status prompt and its note);
- closing: what was saved, the readiness table and the offer of the gap report;
- prompter: the questionary and Rich wrapper (the one module importing questionary);
- texts: quick mode's own prompt texts (status choices, the one-line guidance).

Tests drive the real prompts by passing a `Prompter` holding prompt_toolkit input/output.
"""

from soc2_tui.quick.entry import NO_TTY, run
from soc2_tui.quick.prompter import Prompter, Stop
from soc2_tui.quick.session import Session
from soc2_tui.quick.texts import POLICY_STATUS_CHOICES, STATUS_CHOICES, first_sentence

__all__ = ["NO_TTY", "POLICY_STATUS_CHOICES", "STATUS_CHOICES", "Prompter", "Session", "Stop", "first_sentence",
           "run"]
