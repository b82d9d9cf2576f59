"""Service catalogue matching: what customers type from a prescription, to catalogue codes."""

from nlu.catalogue.catalogue import (
    Catalogue,
    assess,
    load_catalogue,
    load_catalogue_in_background,
    search,
)
from nlu.catalogue.confidence import CONFIDENT, Assessment, not_a_service
from nlu.catalogue.families import Family, closest_family
from nlu.catalogue.models import Entry, Match
from nlu.catalogue.several import several

__all__ = [
    "CONFIDENT",
    "Assessment",
    "Catalogue",
    "Entry",
    "Family",
    "Match",
    "assess",
    "closest_family",
    "load_catalogue",
    "load_catalogue_in_background",
    "not_a_service",
    "search",
    "several",
]
