"""Events: ACLED-scope events coded from the read article, every field with its words."""
