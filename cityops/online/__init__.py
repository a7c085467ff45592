"""Online public services: the catalogue, citizens' applications (dossiers) and their fees."""
