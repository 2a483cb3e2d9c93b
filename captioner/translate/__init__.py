"""Translation of confirmed lines into another language."""
