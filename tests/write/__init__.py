"""Writing plan files: new, update, snapshot; atomic and locked."""
