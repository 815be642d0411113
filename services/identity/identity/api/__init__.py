"""HTTP layer of identity: flask-smorest blueprints and marshmallow schemas."""
