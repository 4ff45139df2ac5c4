# Sources of src/matching, listed explicitly.
