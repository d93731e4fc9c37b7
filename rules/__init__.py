"""dynalint's built-in rule pack, one module per area.

Each module holds rules declared with ``dynalint.rule.rule``; ``links`` holds
the literal-name matches the graph needs (a table named in an autoscaling
``resource_id``, in an alarm dimension, in a stream ARN). Shared DynamoDB
knowledge used by several areas lives in ``_ddb``.
"""

# The families of rule ids listed first (``dynalint rules``, the docs, SARIF's rule list), in this order: the
# pack's own. The others (dynalint's DL notes, custom rules' prefixes) follow alphabetically.
FAMILY_ORDER = ("DDB",)
