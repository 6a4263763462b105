"""Times: time expressions in the body and their TimeML values."""
