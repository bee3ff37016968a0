"""Accelerations: candidate arcs, nearest lists, the seed, components, parallel workers."""
