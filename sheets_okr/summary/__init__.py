"""What leadership reads: the digest of one tracker or a run, rendered as an email and a page,
fitted under Gmail's clip."""
