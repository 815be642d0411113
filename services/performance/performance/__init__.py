"""Si Ketawai performance service."""
