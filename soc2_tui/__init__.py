"""soc2-tui: how ready is this company for a SOC 2 audit, and what should it fix first."""

__version__ = "0.1.0"
