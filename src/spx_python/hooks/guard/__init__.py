"""The protect hook's rules: protected files, shell and file-tool writes, settings switches, the stamp gate."""
