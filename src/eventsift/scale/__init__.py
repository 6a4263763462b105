"""Scale: the Spark job and the bulk load of its output."""
