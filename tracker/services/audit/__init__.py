"""The audit log: recording events, the hash chain, timelines, queries, reports."""
