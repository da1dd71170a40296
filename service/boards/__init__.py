"""Boards, files, PDF ingestion, search and context building; knows nothing about HTTP."""
