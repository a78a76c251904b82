"""The dashboard's pages, one file per page, routed by app/dashboard.py (Streamlit runs each file as a script)."""
