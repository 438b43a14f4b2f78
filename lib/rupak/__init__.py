"""rupak: Russia–Pakistan relations, evidence-linked and tested against the record."""

__version__ = "0.1.0"
