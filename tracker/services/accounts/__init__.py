"""User accounts: creating and changing users, sign-in and sessions, sign-in throttling,
personal API tokens.

Public modules: ``users`` (create_user, get_user, set_password, parse_role, password_hasher),
``sign_in`` (authenticate, has_role, sessions, role and activation changes), ``throttle``
(sign-in throttling on the audit log), ``api_tokens`` (issue, revoke, list, check a token).
"""
