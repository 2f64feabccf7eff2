"""The contracts every part shares: diagnostics, the rule base, the registry, a rule's context, settings."""
