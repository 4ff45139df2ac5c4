# Tests of the cox area.
