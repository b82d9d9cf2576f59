"""The flows medbot runs, one module each, reading like the portal guide's pages."""

from dialogs.flows.reimbursement import REIMBURSEMENT

__all__ = ["REIMBURSEMENT"]
