"""The `chainrule` command line: `chainrule demo`, `train`, `predict` and `graph`."""

__version__ = "0.1.0"
