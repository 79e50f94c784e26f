"""Everything that reads scorecard data for pages, the API and e-mails, by sub-domain."""
