"""Ambient air: HJ 633 (AQI), GB 3095 (limits, validity), HJ 663 (evaluation).

One module per standard and edition; :mod:`.editions` says which applies when.
"""
