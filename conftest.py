# Root conftest: keep script-like files out of doctest collection.
collect_ignore_glob = ["lib/grouplab/**/__main__.py", "tests/fixtures/*", "bench/*"]
