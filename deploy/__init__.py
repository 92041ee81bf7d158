"""Running Kizuna as several processes behind a reverse proxy (docs/deploy.md)."""
