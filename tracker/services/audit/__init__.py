"""The audit log: recording events, the hash chain, timelines, queries and reports.

Public modules: ``log`` (Actor, record, diff, created, required_reason: every service that
changes state records through it), ``chain`` (head and verification), ``history`` (one
entity's timeline), ``query`` (filtered reading and streaming), ``reports`` (built-in reports).
"""
