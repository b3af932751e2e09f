"""Settings of the `tierd bench` commands (the harness itself lives in benchmarks/)."""
