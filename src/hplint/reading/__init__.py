"""Reading code: numbers, imports, names and the calls rules look at."""
