"""Si Pelawan presence service."""
