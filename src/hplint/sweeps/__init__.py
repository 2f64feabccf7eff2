"""Sweep configuration files (W&B sweep YAML/JSON, Hydra's Optuna and basic
sweepers, Hydra multirun command lines in shell scripts and Markdown):
found by their shape, checked with the rules' own decisions and messages,
fixed by span-exact text edits through the one fix loop."""
