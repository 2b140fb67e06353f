"""The configuration file of `sheets-okr run` (sheets-okr.toml), checked with file and line in
every message."""
