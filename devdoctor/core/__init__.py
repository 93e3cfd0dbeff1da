"""The engine's core: a check and its result, the facts a diagnosis reads once, the runner that runs the
checks with their time limits, the plugin finder, the settings and the exit codes."""
