"""Channels: translate a platform's updates into Inbound events and render Replies."""
