"""Service catalogue matching: what customers type from a prescription, to catalogue codes."""

from nlu.catalogue.catalogue import Catalogue, load_catalogue, search
from nlu.catalogue.models import Entry, Match

__all__ = ["Catalogue", "Entry", "Match", "load_catalogue", "search"]
