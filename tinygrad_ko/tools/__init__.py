"""Tools built on the engine: drawing, cost counting, expression parsing.

Tools may import ``ops``, ``tensor`` and ``autodiff``, never ``nn``, ``optim``
or ``cli``. They never re-implement derivative rules; they ask the registry.
"""
