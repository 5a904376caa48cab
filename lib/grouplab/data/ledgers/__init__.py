"""grouplab.data.ledgers."""
