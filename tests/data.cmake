# Tests of the data area.
