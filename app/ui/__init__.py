"""Page pieces several pages share: session state, questionnaire, results panel, workshop helpers, fit progress."""
