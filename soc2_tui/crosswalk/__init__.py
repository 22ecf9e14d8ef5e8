"""Coverage of other frameworks (a crosswalk view): the frameworks declared in `data/frameworks/`
(`frameworks.py`), the check of the question banks' `references` against them (`check.py`), and
how far an assessment's answers cover each framework's controls (`coverage.py`).

No UI code and no I/O beyond reading the framework files (through banks.yaml_reader, or the
cache of banks.cache); the CLI's `coverage` verb, the report section and the dashboard panel all
call these functions. docs/frameworks.md is the contract.
"""
