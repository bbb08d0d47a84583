"""What the store keeps of a plan's past: snapshots, the diff of a sync (who confirmed), events, the audit
chain, answers from the buyer's page, and the Log tab."""
