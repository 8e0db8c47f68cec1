"""CKAN's Action API over the catalogue and the DataStore (ADR 0009 decision 6)."""
