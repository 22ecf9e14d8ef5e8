"""Question banks: the YAML reader (`yaml_reader`), the per-file checks (`validate`), the loader
that puts every bank together (`loader`) and the cache of validated banks (`cache`)."""

from soc2_tui.banks.loader import bank_files, check, load_criteria, load_questionnaire, validate

__all__ = ["bank_files", "check", "load_criteria", "load_questionnaire", "validate"]
