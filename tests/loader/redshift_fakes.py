"""A recording stand-in for a Redshift connection: the one mock the house rules allow (Redshift itself)."""

from __future__ import annotations

from datetime import datetime


class RecordingCursor:
    def __init__(self, connection: RecordingConnection) -> None:
        self.connection = connection
        self._rows: list[tuple] = []
        self.description = None

    def execute(self, statement: str, parameters: tuple | list | None = None) -> None:
        self.connection.log.append((statement, tuple(parameters) if parameters is not None else None))
        for prefix, outcome in self.connection.script:
            if statement.startswith(prefix):
                if isinstance(outcome, Exception):
                    raise outcome
                self._rows = list(outcome)
                return
        self._rows = []

    def executemany(self, statement: str, rows: list[tuple]) -> None:
        for row in rows:
            self.execute(statement, row)

    def fetchone(self) -> tuple | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple]:
        return self._rows


class RecordingConnection:
    """Answers statements by prefix from `script` ((prefix, rows or exception) pairs); records everything."""

    def __init__(self, script: list[tuple[str, object]]) -> None:
        self.script = script
        self.log: list[tuple[str, tuple | None]] = []

    def cursor(self) -> RecordingCursor:
        return RecordingCursor(self)

    def commit(self) -> None:
        self.log.append(("COMMIT", None))

    def rollback(self) -> None:
        self.log.append(("ROLLBACK", None))

    def close(self) -> None:
        pass


def render(log: list[tuple[str, tuple | None]]) -> str:
    """The session as text: each statement, then its parameters (times shown as <utc now>)."""

    def show(value: object) -> str:
        return "<utc now>" if isinstance(value, datetime) else repr(value)

    blocks = []
    for statement, parameters in log:
        block = statement.rstrip() + ";"
        if parameters is not None:
            block += "\n-- parameters: " + ", ".join(show(value) for value in parameters)
        blocks.append(block)
    return "\n\n".join(blocks) + "\n"
