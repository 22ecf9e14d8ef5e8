"""A rough range for the audit fee, and what drives it (docs/report.md, "The audit budget").

Deliberately coarse and clearly labelled as such in the report: audit firms price on their own
terms, and quotes for the same company can differ by a factor of two. The range starts from a
base fee per report type and scales with what makes an audit longer:

- the report type: Type I from 15,000 to 30,000 US dollars; Type II from 25,000 to 50,000;
- each principle beyond security: +15 % at both ends;
- a Type II period of more than six months: +10 % (more samples to test);
- the company's size (a scope answer): 1–10 people ×1.0, 11–50 ×1.2, 51–200 ×1.5, more ×2.0;
  unanswered: ×1.0 to ×1.5;
- rounded out to the nearest 5,000.

Readiness work (a consultant, a compliance tool, the engineering time to close gaps) is not in
the fee; when the overall readiness is below 75 the report names it as a separate cost.
Pure functions, no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BASE = {"type1": (15_000, 30_000), "type2": (25_000, 50_000)}
PER_PRINCIPLE = 0.15
LONG_PERIOD = 0.10  # a Type II period over six months
SIZE_FACTOR = {"1-10": 1.0, "11-50": 1.2, "51-200": 1.5, "201+": 2.0}
UNKNOWN_SIZE = (1.0, 1.5)
ROUND_TO = 5_000
READINESS_BELOW = 75.0  # overall readiness under which readiness work is named as a cost


@dataclass(frozen=True)
class Budget:
    low: int
    high: int
    drivers: tuple[str, ...]
    readiness_work: bool  # the gaps are wide enough that readiness help is a cost of its own


def estimate(report_type: str, principles: tuple[str, ...], period_months: int | None, company_size: object,
             overall_score: float | None) -> Budget:
    base = BASE.get(report_type, BASE["type2"])
    low, high = float(base[0]), float(base[1])
    drivers = [f"a {'Type I' if report_type == 'type1' else 'Type II'} report"]
    extra = [p for p in principles if p != "security"]
    if extra:
        low, high = low * (1 + PER_PRINCIPLE * len(extra)), high * (1 + PER_PRINCIPLE * len(extra))
        drivers.append(f"{len(extra)} principle{'s' if len(extra) != 1 else ''} beyond security")
    if report_type == "type2" and period_months and period_months > 6:
        low, high = low * (1 + LONG_PERIOD), high * (1 + LONG_PERIOD)
        drivers.append(f"a {period_months}-month period")
    if isinstance(company_size, str) and company_size in SIZE_FACTOR:
        f = SIZE_FACTOR[company_size]
        low, high = low * f, high * f
        drivers.append(f"a company of {company_size.replace('-', ' to ').replace('+', ' or more')} people")
    else:
        low, high = low * UNKNOWN_SIZE[0], high * UNKNOWN_SIZE[1]
        drivers.append("the company's size, not answered yet (widens the range)")
    readiness = overall_score is None or overall_score < READINESS_BELOW
    return Budget(_round_down(low), _round_up(high), tuple(drivers), readiness)


def _round_down(v: float) -> int:
    return int(math.floor(v / ROUND_TO) * ROUND_TO)


def _round_up(v: float) -> int:
    return int(math.ceil(v / ROUND_TO) * ROUND_TO)


def money(v: int) -> str:
    """'25,000 USD' written the same way in every report."""
    return f"{v:,} USD"
