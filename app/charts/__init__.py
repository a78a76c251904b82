"""Plotly chart builders, each returning (figure, one-line reading): firm, zones, lab, versions, workshop."""
