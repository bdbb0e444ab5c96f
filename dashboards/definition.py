"""The dashboard-as-code file (`dashboards/definition/overview.yml`), parsed and checked.

Pydantic models make a typo in the YAML fail with the path of the bad key, before Superset is touched;
`check()` catches references that do not resolve (a chart on an unknown dataset, a metric the
dataset does not define, a layout naming a chart twice).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

DEFINITION_FILE = Path(__file__).resolve().parent / "definition" / "overview.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Metric(_Strict):
    expression: str
    label: str
    format: str | None = None


class Dataset(_Strict):
    schema_: str = Field(alias="schema")
    time_column: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    metrics: dict[str, Metric] = Field(default_factory=dict)


class Chart(_Strict):
    title: str
    dataset: str
    viz_type: str
    params: dict[str, Any]


class Row(_Strict):
    height: int
    charts: list[tuple[str, int]]


class NativeFilter(_Strict):
    name: str
    type: Literal["time", "select"]
    dataset: str | None = None
    column: str | None = None


class DashboardInfo(_Strict):
    title: str
    slug: str
    description: str = ""


class DatabaseInfo(_Strict):
    name: str


class Definition(_Strict):
    dashboard: DashboardInfo
    database: DatabaseInfo
    datasets: dict[str, Dataset]
    charts: dict[str, Chart]
    layout: list[Row]
    filters: dict[str, NativeFilter]

    def chart_metrics(self, chart: Chart) -> list[str]:
        """The saved metrics a chart's form data names (single `metric` or a `metrics` list)."""
        named = [*chart.params.get("metrics", []), chart.params.get("metric")]
        return [name for name in named if isinstance(name, str)]

    def check(self) -> None:
        """Raise ValueError listing every reference in the file that does not resolve."""
        problems = []
        for key, chart in self.charts.items():
            dataset = self.datasets.get(chart.dataset)
            if dataset is None:
                problems.append(f"chart {key!r}: unknown dataset {chart.dataset!r}")
                continue
            problems += [
                f"chart {key!r}: dataset {chart.dataset!r} defines no metric {name!r}"
                for name in self.chart_metrics(chart)
                if name not in dataset.metrics
            ]
        placed = [key for row in self.layout for key, _ in row.charts]
        problems += [f"layout: unknown chart {key!r}" for key in placed if key not in self.charts]
        problems += [f"layout: chart {key!r} placed twice" for key in set(placed) if placed.count(key) > 1]
        problems += [f"layout: chart {key!r} not placed" for key in self.charts if key not in placed]
        problems += [
            f"layout: a row's widths add up to {sum(width for _, width in row.charts)}, more than 12"
            for row in self.layout
            if sum(width for _, width in row.charts) > 12
        ]
        for key, native_filter in self.filters.items():
            if native_filter.type == "select" and (
                native_filter.dataset not in self.datasets or not native_filter.column
            ):
                problems.append(f"filter {key!r}: a select filter needs a known dataset and a column")
        if problems:
            raise ValueError("dashboard definition is inconsistent:\n  " + "\n  ".join(problems))


def load_definition(path: Path = DEFINITION_FILE) -> Definition:
    """Parse and check the definition file."""
    definition = Definition.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    definition.check()
    return definition
