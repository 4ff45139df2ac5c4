# Sources of src/survival/km, listed explicitly.
