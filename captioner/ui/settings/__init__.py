"""The settings window's tabs: one widget per tab, each setting declared once as a field.

A field (fields.py) binds one widget to one setting by its path ("overlay.font_size"): its
range and default come from the settings' dataclasses, the choices of a list from their
Literal types (choices.py, which keeps the translated labels in one table).
"""
