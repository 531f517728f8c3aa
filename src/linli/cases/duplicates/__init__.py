"""Duplicate hints (疑似重复件): open cases of the same category near a new one, shown at intake, on the case page
of a case still on the dispatcher's desk (with one-click 合并), and on the residents' report form."""
