"""dynalint's built-in rule pack, one module per area.

Each module holds rules declared with ``dynalint.rule.rule``; ``links`` holds
the literal-name matches the graph needs (a table named in an autoscaling
``resource_id``, in an alarm dimension, in a stream ARN; a key by ARN or
alias; a security group by id). Modules whose name starts with ``_`` hold what
several rules read, one owner each: ``_ddb`` (a table's settings),
``_key_schema``, ``_autoscaling``, ``_alarms``, ``_dynamodb_json``, ``_iam``,
``_messages``; the registry reads no rules there.
"""

# The families of rule ids listed first (``dynalint rules``, the docs, SARIF's rule list), in this order: the
# pack's own. The others (dynalint's DL notes, custom rules' prefixes) follow alphabetically.
FAMILY_ORDER = ("DDB",)
