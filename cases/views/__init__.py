"""Browser pages of the cases app, one module per topic."""
