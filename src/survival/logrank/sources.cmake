# Sources of src/survival/logrank, listed explicitly.
