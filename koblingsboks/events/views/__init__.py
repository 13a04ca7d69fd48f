"""Pages of the events app: hosts' pages (hosts.py), public pages (public.py), feeds."""
