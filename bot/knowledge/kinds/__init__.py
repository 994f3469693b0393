"""The knowledge folder, one module per kind of file.

Each module reads and checks its files through a shared :class:`~.session.Session` and
returns typed models; ``bot.knowledge.loader`` runs them in order and cross-checks the result.
"""
