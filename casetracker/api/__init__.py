"""The REST API's shared machinery (DESIGN §7): tokens, scoping, ETags, errors, pagination.

Each app's ``api/`` declares thin serializers and viewsets on these bases; nothing here
imports an app.
"""
