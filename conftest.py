# Root conftest: keep script-like files out of doctest collection, and group tests for pytest-xdist.
import pytest

collect_ignore_glob = ["lib/grouplab/**/__main__.py", "tests/fixtures/*", "bench/*"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Groups for ``pytest -n 2 --dist loadgroup`` (make test, make check).

    A file is one group — a notebook's cells share one kernel, a module's fixtures run once — and the
    tests that read the session's demo batch are one group, so that batch runs once, on one worker.
    """
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        shared = "demo_batch" in getattr(item, "fixturenames", ())
        item.add_marker(pytest.mark.xdist_group("demo_batch" if shared else str(item.path)))
