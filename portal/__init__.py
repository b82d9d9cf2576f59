"""The insurer's records and the store that keeps them."""
