__version__ = "0.1.0"


def load(folder):
    """The tables of an output folder as pandas DataFrames (see actionplan.loading.load)."""
    from actionplan.loading import load as _load

    return _load(folder)
