"""What composes every app (DESIGN §3): the dashboard, the case page and the person page, the
case's timeline across every forum (page, chart and API endpoint), and the demo loader.

The top of the dependency chain: it may import every app, and none imports it.
"""
