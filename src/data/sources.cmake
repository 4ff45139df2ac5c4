# Sources of src/data, listed explicitly.
