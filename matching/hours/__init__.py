"""The hours path: hour capacities that bind, searched and bounded within the time limit."""
