"""The flows medbot runs, one module each, reading like the portal guide's pages."""

from dialogs.flows.direct import DIRECT
from dialogs.flows.documents import DOCUMENTS
from dialogs.flows.reimbursement import REIMBURSEMENT

__all__ = ["DIRECT", "DOCUMENTS", "REIMBURSEMENT"]
