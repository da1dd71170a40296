"""Boardroom: ask questions of your PDFs, with answers streamed over Server-Sent Events."""

__version__ = "0.1.0"
