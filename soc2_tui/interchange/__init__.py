"""Files that carry answers in and out: JSON and CSV documents (`export`), reading them back
(`importer`) and the snapshots frozen inside the assessment file (`snapshots`)."""
