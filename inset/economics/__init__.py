"""Costs, benefits and the cost-benefit figures derived from them."""
