"""Expressions in .tf input evaluate to what Terraform itself computes (`terraform console` is the oracle).

Each expression below is written into a resource of a temporary tree and
loaded by dynalint; the same expressions, as locals, are evaluated by
`terraform console` (offline, no provider needed) in one call.
"""

import json
import os
import subprocess

import pytest

from dynalint.load import load_inputs
from dynalint.model import UNKNOWN
from helpers import requires_terraform

CONTEXT = r"""
variable "m" {
  default = { b = 2, a = 1 }
}

variable "flag" {
  type    = bool
  default = "true"
}

variable "tables" {
  type = map(object({
    hash_key  = string
    range_key = optional(string)
    capacity  = optional(number, 5)
  }))
  default = {
    orders = { hash_key = "id", range_key = "ts", capacity = "10" }
    users  = { hash_key = "user_id" }
  }
}

locals {
  l      = ["x", "y"]
  k      = "computed-key"
  objs   = [{ name = "first" }, { name = "second" }]
  nested = { outer = { inner = ["a", "b"] } }
  heredoc = <<EOT
line ${local.k}
  indented $${not}
EOT
  heredoc_trim = <<-EOT
    {
      "k": "${upper(local.k)}"
    }
  EOT
  arns = ["arn:a", "arn:b"]
  # <<- heredocs: blank lines, a line starting with ${...}, directives with and without ~ strip markers
  dedent = <<-EOT
      deep
    shallow

        deeper
    EOT
  dedent_interpolation = <<-EOT
      two
  ${local.arns[0]} at 2
    four
    EOT
  stripped_loop = <<-EOT
    x
    %{~ for a in local.arns ~}
    - ${a}
    %{~ endfor ~}
    y
    EOT
  plain_loop = <<-EOT
    p
    %{ for a in local.arns }
    - ${a}
    %{ endfor }
    q
  EOT
  json_loop = <<-EOT
    {
      "Resource": [
        %{~ for i, arn in local.arns ~}
        "${arn}"%{ if i < length(local.arns) - 1 },%{ endif }
        %{~ endfor ~}
      ]
    }
  EOT
  inline_strips = <<EOT
  keep ${local.arns[1]} %{~ if true ~}   spaced  %{~ endif ~}
  end
EOT
}
"""

EXPRESSIONS = [
    'jsonencode({b = "<&>", a = [1, 2.5, true, null], "c-d" = { x = "é" }})',
    'format("%s-%03d-%q-%v-%%-%.2f", "a", 7, "q", true, 3.14159)',
    '[for k, v in var.m : "${k}=${v}"]',
    '[for i, x in local.l : "${i}:${x}" if x != "y"]',
    "{for i, x in local.l : x => i}",
    '{for x in ["a", "b", "a"] : x => x...}',
    "local.objs[*].name",
    "local.objs[0].name",
    "local.objs.*.name",
    'var.m["a"] + var.m.b * 3 - 10 / 4',
    "-7 % 3",
    "7 % -3",
    "0.1 + 0.2",
    "1 == 1.0",
    '"1" == 1',
    "true && false || !false",
    'var.flag ? "yes" : "no"',
    '"${1.0}-${1.5}-${true}-${var.m.a}"',
    r'"a\nb\t\"q\" \\ \u00e9 $${literal} %%{literal}"',
    'upper(join(",", local.l))',
    'toset(["b", "a", "b"])',
    'replace("a-b-c", "/-/", "_")',
    'replace("a.b.c", ".", "")',
    'title("hello world")',
    'try(var.m.c, "fallback")',
    "can(var.m.c)",
    'lookup(var.m, "z", 0)',
    "merge(var.m, { c = 3 }, null)",
    'concat(local.l, ["z"])',
    "element(local.l, 3)",
    'flatten([["a", ["b"]], [], "c"])',
    'distinct(["a", "b", "a"])',
    'compact(["a", "", null, "b"])',
    'coalesce("", "x")',
    'contains(local.l, "y")',
    "length(var.m)",
    "keys(var.m)",
    "values(var.m)",
    "range(1, 7, 2)",
    'zipmap(["a", "b"], [1, 2])',
    "reverse(local.l)",
    'sort(["b", "a", "c"])',
    "slice(local.l, 0, 1)",
    'trimspace("  x  ")',
    'trimprefix("arn:aws:x", "arn:")',
    'trimsuffix("file.json", ".json")',
    'split(",", "a,b,,c")',
    'substr("hello", 1, 3)',
    'substr("hello", 2, -1)',
    'one(["only"])',
    "max(1, 5, 3)",
    "min(2, -1)",
    "sum([1, 2, 3.5])",
    "abs(-3)",
    "ceil(1.2)",
    "floor(-1.2)",
    'base64encode("hi")',
    'sha256("hi")',
    r'jsondecode("{\"a\": [1, true]}")',
    "tostring(15)",
    'tonumber("42")',
    'tobool("true")',
    'startswith("prod-orders", "prod-")',
    'endswith("prod-orders", "orders")',
    'strcontains("prod-orders", "d-o")',
    '{ (local.k) = 1, "q" = 2, bare = 3, 4 = "four" }',
    "local.heredoc",
    "local.heredoc_trim",
    'local.nested["outer"]["inner"][1]',
    "[for s in local.objs : upper(s.name)][1]",
    "length(local.objs[*].name)",
    "var.tables",
    "{ for name, t in var.tables : name => t.range_key == null ? [t.hash_key] : [t.hash_key, t.range_key] }",
    "jsonencode(1e3)",
    "local.dedent",
    "local.dedent_interpolation",
    "local.stripped_loop",
    "local.plain_loop",
    "local.json_loop",
    "local.inline_strips",
    '"x%{ if var.flag }yes%{ else }no%{ endif }y"',
    '"%{ for a in local.arns }[${a}]%{ endfor }"',
    '"%{ for i, a in local.arns ~} ${i}=${a} %{~ endfor }"',
]


def _dynalint_values(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "context.tf").write_text(CONTEXT)
    body = "\n".join(f"  e{i} = {e}" for i, e in enumerate(EXPRESSIONS))
    (tree / "main.tf").write_text(f'resource "aws_ssm_parameter" "all" {{\n{body}\n}}\n')
    [model] = load_inputs([str(tree)])
    return model.resources[0].values


def _terraform_values(tmp_path):
    work = tmp_path / "console"
    work.mkdir()
    (work / "context.tf").write_text(CONTEXT)
    (work / "exprs.tf").write_text(
        "locals {\n" + "\n".join(f"  e{i} = {e}" for i, e in enumerate(EXPRESSIONS)) + "\n}\n"
    )
    (tmp_path / "terraform.rc").write_text("")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(tmp_path / "terraform.rc"), "CHECKPOINT_DISABLE": "1"}
    query = "jsonencode([" + ", ".join(f"local.e{i}" for i in range(len(EXPRESSIONS))) + "])\n"
    result = subprocess.run(
        ["terraform", "console"], input=query, cwd=work, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(json.loads(result.stdout.strip()))


@pytest.mark.slow
@requires_terraform
def test_expressions_evaluate_as_terraform_console_does(tmp_path):
    ours = _dynalint_values(tmp_path)
    theirs = _terraform_values(tmp_path)
    assert len(theirs) == len(EXPRESSIONS)
    wrong = [(e, ours.get(f"e{i}"), theirs[i]) for i, e in enumerate(EXPRESSIONS) if ours.get(f"e{i}") != theirs[i]]
    assert wrong == []


def test_what_terraform_knows_only_after_apply_is_unknown(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "main.tf").write_text("""
resource "aws_kms_key" "k" {
  description = "k"
}
resource "aws_ssm_parameter" "p" {
  arn_ref   = aws_kms_key.k.arn
  template  = "key ${aws_kms_key.k.key_id}"
  policy    = jsonencode({ Resource = aws_kms_key.k.arn })
  partial   = merge({ a = "1" }, { b = aws_kms_key.k.arn })
  known_arg = aws_kms_key.k.description
  stamp     = timestamp()
  guarded   = try(aws_kms_key.k.arn, "fallback")
  compare   = aws_kms_key.k.arn == "" ? "x" : "y"
}
""")
    [model] = load_inputs([str(tree)])
    values = next(r for r in model.resources if r.type == "aws_ssm_parameter").values
    for name in ("arn_ref", "template", "policy", "stamp", "guarded", "compare"):
        assert values[name] is UNKNOWN, name
    assert values["partial"] == {"a": "1", "b": UNKNOWN}  # a map with one value unknown keeps its keys
    assert values["known_arg"] == "k"  # an argument the configuration writes is known before apply
