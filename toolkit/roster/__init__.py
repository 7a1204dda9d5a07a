"""The union's roster: schema, reading, validation and privacy."""
from toolkit.roster.read import Roster, read_help_records, read_roster

__all__ = ["Roster", "read_roster", "read_help_records"]
