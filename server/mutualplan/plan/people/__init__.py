"""Who is named: parties read from owner text, people or teams, look-alikes, role placeholders named once,
and whose address speaks for the customer."""
