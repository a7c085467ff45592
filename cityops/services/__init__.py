"""Citizens rate the one-stop-shop desks of public administrative services."""
