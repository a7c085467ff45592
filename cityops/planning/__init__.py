"""Planning lookup: zoning layers, the public point lookup and their OGC API – Features."""
