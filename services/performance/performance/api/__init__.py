"""HTTP layer of performance: flask-smorest blueprints and marshmallow schemas."""
