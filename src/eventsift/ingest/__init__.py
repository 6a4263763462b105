"""Ingest: sources (files, JSONL, feeds, URLs) into raw articles, and their structure (title, paragraphs)."""
