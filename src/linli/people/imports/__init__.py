"""Excel import and export of the person registry (SPEC §2): the template, the all-or-nothing import and its
report, and the audited export of the person list."""
