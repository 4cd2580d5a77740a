"""Staff pages of inspections and the public bulletin pages (one module per sub-domain)."""
