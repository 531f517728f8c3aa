"""The residents' side of the case engine (/report/): report a problem without an account, follow it with the
tracking code (查询码), rate the result. Anonymous callers have no scope, so the tracking code is the only way in."""
