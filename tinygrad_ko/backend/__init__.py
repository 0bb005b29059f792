"""Array backends, dtype policy and GPU kernel loading."""
