# Tests of the matching area.
