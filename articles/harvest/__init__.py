"""Harvesting: follow the sources' feeds politely, keep every response as WARC evidence,
watch each source's health. ``harvester.harvest`` runs one round."""
