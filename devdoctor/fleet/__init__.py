"""Beyond one laptop: several adb servers in one run (servers), results as Prometheus metrics
(metrics), every run kept in a SQLite history (history), and what a run leaves behind (outputs)."""
