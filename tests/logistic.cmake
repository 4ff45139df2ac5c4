# Tests of the logistic area.
