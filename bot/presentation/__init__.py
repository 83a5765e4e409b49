"""Pure presentation: labels and value words, and one outline of a recommendation.

Text, markdown, the ADR and Slack all render the same outline; nothing here does I/O.
"""
