"""The only package that runs git: revisions, file versions, the log."""
