"""The fuzz suite: hostile and broken input for every command (issue 11), see docs/fuzzing.md."""
