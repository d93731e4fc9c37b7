"""Where a finding on a resource inside a module is fixed: in the module block the root module writes.

A finding names an attribute (``point_in_time_recovery``); on a resource a
module creates, the user cannot edit that attribute, only the module's inputs.
``Resource.module_settings`` (made by the loaders, see ModuleSetting) say which
inputs of the module call set the attribute, or that the module writes it
itself; the engine adds that to the message:

    ... (module.dynamodb_table sets `deletion_protection_enabled` from its input `deletion_protection_enabled`).
    ... (module.orders writes `replica.us-west-2.point_in_time_recovery` itself: no input of the module
    changes it).

The engine knows Terraform modules, not DynamoDB: nothing here reads a rule.
"""

from __future__ import annotations

from dynalint import address as addr
from dynalint.model import Resource

MAX_INPUTS_SHOWN = 4


def with_module_hint(message: str, resource: Resource, path: str | None) -> str:
    """``message`` with the module hint for ``path`` before its final period; unchanged when there is none."""
    hint = module_hint(resource, path)
    if hint is None:
        return message
    return f"{message[:-1]} ({hint})." if message.endswith(".") else f"{message} ({hint})"


def module_hint(resource: Resource, path: str | None) -> str | None:
    """How the module a resource belongs to sets the attribute at ``path``, for someone who can only edit the
    module block: its inputs, or that the module writes it itself. None outside modules or when not known."""
    if not resource.module or not path or not resource.module_settings:
        return None
    call = _outer_call(resource.module)
    at_or_under = [s for s in resource.module_settings if s.path == path or s.path.startswith(path + ".")]
    above = [s for s in resource.module_settings if path.startswith(s.path + ".")]
    chosen = at_or_under or [s for s in above if len(s.path) == max(len(a.path) for a in above)]
    if not chosen:
        return None
    named = {name for s in chosen for name in s.inputs}
    # `autoscaling_defaults` says less than `autoscaling_defaults.scale_in_cooldown`, which it holds
    inputs = sorted(n for n in named if not any(o != n and o.startswith((n + ".", n + "[")) for o in named))
    if inputs:
        shown = ", ".join(f"`{name}`" for name in inputs[:MAX_INPUTS_SHOWN])
        more = f" and {len(inputs) - MAX_INPUTS_SHOWN} more" if len(inputs) > MAX_INPUTS_SHOWN else ""
        return f"{call} sets `{path}` from its input{'s' if len(inputs) > 1 else ''} {shown}{more}"
    if all(s.fixed for s in chosen):
        return f"{call} writes `{path}` itself: no input of the module changes it"
    return None


def _outer_call(module_address: str) -> str:
    """The module call written in the root module: ``module.a["x"]`` of ``module.a["x"].module.b``."""
    name, index = addr.steps(module_address)[1]
    return f"module.{name}{index}"
