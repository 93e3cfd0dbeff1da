"""Pure functions from command output to typed values, one module per command family.

Conventions every parser keeps:
- no I/O, never raises on any input: it returns what it could read, and lists what it could not
  in a `problems` list of plain sentences;
- accepts LF, CRLF and CR CR LF line endings, a shell prompt or the command echoed on the first line,
  and output cut off at the end;
- returns a dataclass, never a dict that travels.
"""
