"""The one failure a caller of the generator can act on: bad arguments."""


class GeneratorUsageError(ValueError):
    """An argument is out of range or unusable (scale, dates, days, output folder); the message says which."""
