"""The WMPF domain: the package and its host app (shared), versions and their rule (version), the log
signatures of known WMPF errors (signatures, errors, error_lines), the cache of host apps' wmpf-cli."""
