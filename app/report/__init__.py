"""A firm's downloadable report: what it says (content), as HTML (html) and as PDF (pdf, pdf_charts, pdf_text)."""
