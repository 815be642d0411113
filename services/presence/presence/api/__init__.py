"""HTTP layer of presence: flask-smorest blueprints and marshmallow schemas."""
