"""The platform's measures and where their rows come from (each app's selectors)."""
