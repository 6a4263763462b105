"""Read: the one spaCy parse of each article, and the actors it names."""
