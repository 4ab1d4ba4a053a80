"""Organisations, their members and the members' roles: who belongs where (DESIGN §3–§4).

The bottom of the domain: people, cases and rulings import it; it imports none of them.
"""
