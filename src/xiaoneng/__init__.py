"""Xiaoneng (效能): work-style and efficiency campaigns for health authorities."""
