# Sources of src/tables/crosstab, listed explicitly.
