"""Export: the extract format, flat rows and the CSV, GeoJSON, Parquet and JSONL exporters."""
