"""medbot's outside world: channels, web server, reminder loop, configuration and command line."""
