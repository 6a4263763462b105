"""Quotes: who said what, through which channel."""
