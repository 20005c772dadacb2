"""Operations: backups and restores, the start-up health check, the demo data set.

Public modules: ``backup`` (a package: create_backup, restore_backup, inspect_backup, ...),
``health`` (run_checks, weak_secret), ``demo`` (seeds_folder, load_claims_file,
reset_demo_user).
"""
