# Root conftest: keep script-like files out of doctest collection, and group tests for pytest-xdist.
import pytest

collect_ignore_glob = ["lib/grouplab/**/__main__.py", "tests/fixtures/*", "bench/*"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Groups for ``pytest lib tests -n 2 --dist loadgroup`` (make test, make check).

    A file is one group — its module fixtures are made on one worker — and the tests that read the
    session's demo batch are one group, so that batch runs once, on one worker. Notebooks are not run
    under xdist (make test runs them in a second, plain pytest): a worker that runs out of queued items
    tears its module fixtures down, and nbval's kernel with them, between two cells of one notebook.
    """
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        shared = "demo_batch" in getattr(item, "fixturenames", ())
        item.add_marker(pytest.mark.xdist_group("demo_batch" if shared else str(item.path)))
