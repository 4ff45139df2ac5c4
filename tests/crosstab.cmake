# Tests of the crosstab area.
