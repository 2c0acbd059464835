"""API resources: thin, typed wrappers that turn method calls into transport requests."""
