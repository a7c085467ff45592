"""Payments of fees through gateways (VNPay, MoMo, VietQR), and their electronic receipts."""
