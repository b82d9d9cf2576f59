"""The conversation: flows and the engine that asks, validates, goes back and resumes."""
