"""``.tf`` directories to a Model: the Resources the plan loader builds, made from source.

A root module is a directory's ``*.tf`` files; local child modules (``source``
starting ``./`` or ``../``) are read recursively. Each resource block becomes
one Resource per instance, as a plan would show it:

- values: literal values as values; ``var.x`` from ``--var-file`` files, then
  ``*.auto.tfvars``, ``terraform.tfvars`` and the variable's ``default`` (the
  order Terraform applies them, later wins); literal locals; module inputs and
  outputs; arguments of other resources written in the configuration (their
  computed attributes, ``arn``, ``id``, ... are unknown); pure functions
  (``jsonencode``, ``merge``, ``format``, ``file``, ...), templates with their
  ``%{ if }``/``%{ for }`` directives, heredocs, and the ``json`` of an
  ``aws_iam_policy_document`` (which Terraform reads at plan time).
  Everything else is ``UNKNOWN``. An attribute the block leaves out is absent
  (the AWS default), as in a plan.
- blocks are lists of objects (``timeouts`` one object), as in plan JSON;
  ``dynamic`` blocks are expanded where their ``for_each`` is known, else the
  block type is ``UNKNOWN``.
- what an iterator's element refers to (``each.value.x``, a dynamic block's
  ``replica.value``): followed into the ``for_each`` expression and the module
  arguments to the one entry the instance was made of (ReferenceTracer), for
  the references and for the module inputs findings name (ModuleSetting);
  also for a plan read beside its tree (complete_plan_from_tf).
- ``count``/``for_each`` (on resources and module calls): a known count N gives
  ``x[0]``..``x[N-1]``, a known map or set ``x["k"]``. Where it is not known
  from the source (a plan would refuse it too), the block is linted once, at
  its address without an index, with ``count.index``/``each.*`` unknown.
- ``configured`` trees and references come from the same code as for plans
  (``dynalint.load.configuration``) fed with the expressions Terraform would write in
  the plan's ``configuration``; one addition: references made through locals
  are followed (a plan's configuration does not record them).
- the provider's ``region`` and ``default_tags`` where they are known, through
  ``provider = aws.west`` aliases and module ``providers`` maps.
- variables declared ``sensitive`` read as ``SENSITIVE``.
- ``partial_json``: a ``policy`` that is ``UNKNOWN`` as a whole (``jsonencode``
  or an ``aws_iam_policy_document`` around a new table's ARN) decoded as far
  as the source writes it, for the access rules.

Override files (``override.tf``, ``*_override.tf``) are merged into the blocks
they override (see dynalint.load.hcl.module_tree). Not read: ``*.tf.json`` files, the
results of other data sources, ``TF_VAR_*`` environment variables (CI secrets live
there); numbers written as strings stay strings where no variable type says
otherwise (a plan converts them with the provider's schema).

The package, each module on top of those before it:

- ``syntax``: python-hcl2's parser and the raw tree it gives (the one module
  that uses python-hcl2's and lark's internals); ``templates``: strings and
  heredocs as template parts;
- ``paths``: a directory's ``.tf`` files and paths as locations show them (what a
  plan run needs to look for ``.tf`` files beside the plan);
- ``module_tree``: the .tf files of a root and of the local modules it calls,
  read and indexed (``ModuleDir``), override files merged;
- ``conversions``: the evaluator's values and Terraform's conversions;
  ``budget``: the bounds on what an evaluation may build; ``functions``:
  Terraform's functions; ``scopes``: module and resource instances, scopes;
- ``references``: what an expression refers to, read statically; ``tracer``:
  what an iterator's element refers to (ReferenceTracer);
- ``documents``: policy documents and ``partial_json``; ``modules``: module
  calls, instances, variables, locals and outputs; ``plan_configuration``: the
  plan's ``configuration`` written from the source; ``evaluator``: the
  Evaluator, made of those three parts and the expressions' handlers;
- ``tfvars``: root variable values; ``lifecycle``: a block's ``lifecycle``;
  ``locate``: where in the source a finding's attribute is written;
- ``loader``: ``load_tf_inputs`` and ``complete_plan_from_tf``, the entry points.

Importing the package imports none of them: a plan-only run never loads the evaluator.
"""
