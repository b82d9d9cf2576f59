"""Understanding words, no I/O: catalogue matching, dates, money, identifiers, intents."""
