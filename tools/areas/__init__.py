"""One module per area of checks; each has `add(case, builder)` and may have AREA_CASES."""
