"""State backends beyond the default SQLite file (sdcrawl.store.state): PostgreSQL for queue mode."""
