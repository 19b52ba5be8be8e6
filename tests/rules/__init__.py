"""Each rule of the registry, passed and failed by a plan of its own (tests/rules/<id>/),
and check's options, formats and exit codes."""
