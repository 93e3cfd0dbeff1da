"""What the technician reads besides the report: translations, the FAQ's sections, `explain`."""
