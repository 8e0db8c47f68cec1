"""Writes of the participatory budget, one module per part (cycles, projects, review,
voting, results, implementation); each in a transaction with its ledger entry."""
