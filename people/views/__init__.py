"""Browser pages of the people app, one module per topic."""
