"""HPL2xx: the search space — spacing, ranges and log-scale APIs.

A learning rate, a weight decay or a regularisation strength matters by its
order of magnitude, so a search over it should give every decade the same
share of points.  These rules read the values a search will try (grids,
literal lists, distributions) and the name they are tried for, and report
how much of the budget lands in the top decade.

One module a rule; ``facts`` holds what several of them read (the name a
value is tuned for, collected once per file), ``wording`` how their
messages write numbers and ``edits`` the pieces their fixes share.
"""
