"""Clean: repaired text and body, the body's language, and syndicated-copy fingerprints."""
