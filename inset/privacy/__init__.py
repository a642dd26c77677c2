"""Keeping personal data about children and families out of Inset's free text."""
