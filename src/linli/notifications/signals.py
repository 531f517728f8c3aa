from django.dispatch import Signal

# Sent when a user reads inbox messages (one, or all at once), with the set of their `subject`s, so the module that
# sent them can mark its own record read (a 督办 on 我的任务) without the notifications app knowing it.
# Keyword arguments: user, subjects (set[str]), at (datetime).
messages_read = Signal()
