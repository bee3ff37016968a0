"""Certified optimality: dual prices, pricing out the pairs left aside, the hours LP bound."""
