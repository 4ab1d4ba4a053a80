"""The pages that gather every forum: dashboard, case page, person page."""
