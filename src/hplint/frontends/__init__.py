"""The ways hplint is used: command line, flake8, notebooks, output formats."""
