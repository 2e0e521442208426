"""Imports every built-in reader module so that each registers itself."""

# Reader modules are added here as each technique's issue brings them.
