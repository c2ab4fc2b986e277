"""KEK Dortmund climate dashboard: data, calculations and formatting."""
