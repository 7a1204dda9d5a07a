"""A team deployment behind JupyterHub (issue 20): logins, roles, one Voilà
server per user, PostgreSQL as the store.

``roles`` (who is signed in and what their role allows; read by the project
calls), ``guard`` (the single-user server's refusals by role, a Jupyter Server
extension), ``single`` (the single-user server a user's login starts),
``setup`` (``fieldeval hub init``: jupyterhub_config.py and the private
folder), ``users`` (accounts and groups in the hub's database), ``run``
(``fieldeval hub start``). See docs/deploy.md.
"""
