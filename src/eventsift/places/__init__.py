"""Places: place names in the body, resolved to the offline GeoNames gazetteer."""
