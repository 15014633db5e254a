"""The single error type the collection raises on bad input.

Every check at a boundary (a data file, a config file, an argument passed from a notebook) raises
:class:`InputError` with the place, the field, the bad value, what is allowed and, where it helps, how to
fix it, so a reader never has to decode a bare pandas or numpy traceback.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input, described in one sentence a reader can act on.

    Attributes keep the parts of the message so tests and callers can inspect them.
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        where: str | None = None,
        row: int | None = None,
        field: str | None = None,
        value: object = None,
        allowed: str | None = None,
        fix: str | None = None,
        problem: str | None = None,
    ) -> None:
        self.where = where
        self.row = row
        self.field = field
        self.value = value
        self.allowed = allowed
        self.fix = fix
        self.problem = problem
        if message is None:
            message = describe(where=where, row=row, field=field, value=value, allowed=allowed, fix=fix,
                               problem=problem)
        super().__init__(message)


#: Longest value shown in a message; longer ones are cut in the middle.
MAX_VALUE_CHARS = 80


def shown(value: object) -> str:
    """``repr(value)`` for a message: a huge integer is described by its number of digits, and any other
    text longer than :data:`MAX_VALUE_CHARS` is cut in the middle."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        # from the bit length: str() of an int this long can exceed Python's digit limit (4,300)
        return f"a {int(value.bit_length() * 0.30102999566398120) + 1}-digit number"
    try:
        text = repr(value)
    except Exception:  # a value whose repr fails must not hide the real error
        return f"<{type(value).__name__}>"
    if len(text) <= MAX_VALUE_CHARS:
        return text
    half = (MAX_VALUE_CHARS - 5) // 2
    return f"{text[:half]} ... {text[-half:]} ({len(text)} characters)"


def describe(
    *,
    where: str | None = None,
    row: int | None = None,
    field: str | None = None,
    value: object = None,
    allowed: str | None = None,
    fix: str | None = None,
    problem: str | None = None,
) -> str:
    """Build the standard message: ``<where>, row N, field 'x': <problem>; allowed: ...; fix: ...``."""
    place = [p for p in (where, f"row {row}" if row is not None else None,
                         f"field '{field}'" if field is not None else None) if p]
    head = ", ".join(place) if place else "input"
    if problem is None:
        problem = "value is missing" if value is None else f"value {shown(value)} is not allowed"
    parts = [f"{head}: {problem}"]
    if allowed:
        parts.append(f"allowed: {allowed}")
    if fix:
        parts.append(f"fix: {fix}")
    return "; ".join(parts)
