"""The only writers of plan files: spliced edits, new actions, snapshots, atomic writes."""
