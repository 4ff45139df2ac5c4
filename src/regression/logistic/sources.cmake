# Sources of src/regression/logistic, listed explicitly.
