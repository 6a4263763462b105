"""Stories: reports of one real-world event across articles, merged as they are stored."""
