# Tests of the km area.
