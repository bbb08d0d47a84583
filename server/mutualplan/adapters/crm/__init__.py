"""The CRMs: Salesforce through simple-salesforce, HubSpot through hubspot-api-client, and their OAuth."""
