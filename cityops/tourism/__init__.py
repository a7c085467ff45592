"""Tourists' questions answered from a multilingual FAQ; what it cannot answer goes to the IOC."""
