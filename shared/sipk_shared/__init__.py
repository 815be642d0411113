"""Code every Si Pelawan / Si Ketawai service shares. No domain rules live here."""
