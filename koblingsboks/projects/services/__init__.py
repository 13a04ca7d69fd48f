"""Business rules of joint projects: drafting, circulating, amending, signing, actuals.

Every write checks the actor's right, validates, runs in one transaction and writes an audit
entry into the log of every member party (each garden sees what happened to its projects).
E-mail goes out when the transaction commits. Refusals raise ``ServiceError`` with a message
for the user and change nothing.

The working content may change only while the project is a draft or an amendment is open;
circulating freezes it as an ``AgreementVersion``.
"""

from koblingsboks.projects.services.actuals import (
    ATTACHMENT_TYPES,
    attachment_content_type,
    cost_entry_add,
    cost_entry_delete,
)
from koblingsboks.projects.services.common import (
    MAX_ATTACHMENT_BYTES,
    SIGNING_LINK_VALID_DAYS,
    token_hash,
)
from koblingsboks.projects.services.drafting import (
    budget_line_delete,
    budget_line_set,
    deliverable_add,
    deliverable_delete,
    funding_add,
    funding_delete,
    party_add,
    party_remove,
    party_update,
    project_create,
    project_update,
    responsibility_add,
    responsibility_delete,
    term_delete,
    term_save,
    terms_template_for,
    terms_template_save,
)
from koblingsboks.projects.services.lifecycle import (
    agreement_sign,
    amendment_start,
    circulation_problems,
    project_activate,
    project_circulate,
    project_close,
    signing_link_resend,
    signing_link_sign,
)

__all__ = [
    "ATTACHMENT_TYPES",
    "MAX_ATTACHMENT_BYTES",
    "SIGNING_LINK_VALID_DAYS",
    "agreement_sign",
    "amendment_start",
    "attachment_content_type",
    "budget_line_delete",
    "budget_line_set",
    "circulation_problems",
    "cost_entry_add",
    "cost_entry_delete",
    "deliverable_add",
    "deliverable_delete",
    "funding_add",
    "funding_delete",
    "party_add",
    "party_remove",
    "party_update",
    "project_activate",
    "project_circulate",
    "project_close",
    "project_create",
    "project_update",
    "responsibility_add",
    "responsibility_delete",
    "signing_link_resend",
    "signing_link_sign",
    "term_delete",
    "term_save",
    "terms_template_for",
    "terms_template_save",
    "token_hash",
]
