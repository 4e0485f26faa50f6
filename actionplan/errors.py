"""Errors the CLI turns into one line on stderr and exit code 2."""


class InputError(Exception):
    """The input cannot be read as an action plan; the message is one line for the user."""


class NotAnActionPlan(InputError):
    """A readable PDF that holds no action plan."""


class ConfigError(InputError):
    """A user's configuration file is invalid."""
