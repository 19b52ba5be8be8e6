"""Files -> Plans: the source (confined to the repository), libyaml's tree with the one
fast reader in front of it, the checks of core.fields, and the user's cache."""
