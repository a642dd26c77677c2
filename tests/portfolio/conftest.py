from tests.portfolio.fixed_portfolio import fixed  # noqa: F401 - a fixture for this folder
