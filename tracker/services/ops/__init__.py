"""Operations: backups, the start-up health check, the demo data set."""
