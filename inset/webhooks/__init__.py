"""Webhook endpoints of organisations, and delivering events to them."""
