"""Browser pages of the rulings app, one module per topic."""
