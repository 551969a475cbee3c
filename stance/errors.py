"""The one exception the CLI turns into a one-line message and exit code 2."""


class InputError(Exception):
    """Bad user input: a file, and where known a line, that cannot be used.

    The message already names the place (``path:line: what is wrong``), so the
    CLI prints it as it is, with no traceback.
    """

    def __init__(self, message: str, path: object = None, line: int | None = None):
        where = "" if path is None else f"{path}:{line}: " if line else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line
