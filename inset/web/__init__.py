"""The web client: plain ES modules under static/, browser libraries from npm under /vendor.

It talks to the service only through the public GraphQL API, like any partner.
"""
