"""Reading plan files: structure, the fast reader, the cache and what a checkout cannot change."""
