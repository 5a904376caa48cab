# Root conftest: keep script-like files out of doctest collection, and order test files for pytest-xdist.
import pytest

collect_ignore_glob = ["lib/grouplab/**/__main__.py", "tests/fixtures/*", "bench/*"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Order of the work for ``pytest lib tests -n 2 --dist loadfile --no-loadscope-reorder`` (make test,
    make check).

    A file is one unit of work: its module fixtures (a report batch, a fitted model) are made once, on one
    worker. Files holding ``slow`` tests (batches, notebooks, corpora) are handed out first and the rest
    largest first, so that the run ends on short files and neither worker waits long for the other. The
    session's demo batch, read by several files, is made once per run and shared between the workers on
    disk (tests/conftest.py).

    Not ``--dist loadgroup``: xdist 3.8 groups by a suffix it writes into the test ids, which pytest 9.2 no
    longer takes (pytest-dev/pytest-xdist#1386), so every test was sent on its own and each worker made
    the module fixtures (and the demo batch) again. Only the order is set here; xdist workers all sort
    the same collection the same way. Notebooks are not run under xdist (make test runs them in a plain
    pytest beside it): a worker that runs out of queued items tears its module fixtures down, and nbval's
    kernel with them, between two cells of one notebook.
    """
    if not hasattr(config, "workerinput"):  # a plain run keeps the collection order
        return
    files: dict = {}
    for i, item in enumerate(items):
        slow, n, first = files.get(item.path, (False, 0, i))
        files[item.path] = (slow or item.get_closest_marker("slow") is not None, n + 1, first)
    items.sort(key=lambda item: (not files[item.path][0], -files[item.path][1], files[item.path][2]))
