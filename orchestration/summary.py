"""The run's summary: what was added, rows per mart, tests, seconds per step; as markdown and as text."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RunSummary:
    """Everything `make run` prints and the Prefect artifact shows; plain data, so the flow can return it."""

    status: str = "running"
    flow_run_id: str | None = None
    first_day: str | None = None
    last_day: str | None = None
    load_id: str | None = None
    rows_loaded: int | None = None
    mart_rows: dict[str, int] = field(default_factory=dict)
    tests_passed: int = 0
    tests_failed: int = 0
    tests_warned: int = 0
    models_built: int = 0
    failures: list[str] = field(default_factory=list)
    step_seconds: dict[str, float] = field(default_factory=dict)
    snapshot: str | None = None
    docs: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def total_seconds(self) -> float:
        return round(sum(self.step_seconds.values()), 2)

    def markdown(self) -> str:
        days = f"{self.first_day} to {self.last_day}" if self.first_day else "none (generation off)"
        lines = [
            f"# Pipeline run: {self.status}",
            "",
            f"- Days added: {days}",
            f"- Load id: `{self.load_id or '-'}`, rows loaded: {self.rows_loaded if self.rows_loaded is not None else '-'}",
            f"- dbt: {self.models_built} models built, tests {self.tests_passed} passed, "
            f"{self.tests_failed} failed, {self.tests_warned} warned",
        ]
        if self.snapshot:
            lines.append(f"- BI snapshot: `{self.snapshot}`")
        if self.docs:
            lines.append(f"- Docs: `{self.docs}`")
        if self.failures:
            lines += ["", "## Failures", "", *(f"- {failure}" for failure in self.failures)]
        lines += ["", "## Rows per mart", "", "| mart | rows |", "| --- | ---: |"]
        lines += [f"| {mart} | {rows:,} |" for mart, rows in self.mart_rows.items()] or ["| - | - |"]
        lines += ["", "## Seconds per step", "", "| step | seconds |", "| --- | ---: |"]
        lines += [f"| {step} | {seconds:.2f} |" for step, seconds in self.step_seconds.items()]
        lines.append(f"| **total** | **{self.total_seconds:.2f}** |")
        return "\n".join(lines) + "\n"
