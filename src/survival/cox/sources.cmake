# Sources of src/survival/cox, listed explicitly.
