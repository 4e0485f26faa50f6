__version__ = "0.1.0"


def load(folder):
    """The tables of an output folder as pandas DataFrames (see actionplan.loading.load)."""
    from actionplan.loading import load as _load

    return _load(folder)


def load_dataset(folder):
    """Every revision of a dataset (``extract --dataset``) as DataFrames (see actionplan.dataset)."""
    from actionplan.dataset import load_dataset as _load_dataset

    return _load_dataset(folder)
