"""``dynalint --fix``: the repairs rules declare, carried out as minimal, format-preserving edits of ``.tf`` files.

- ``declare``: what a rule says (``Fix``, ``Set``, ``Extend``, ``AddBlock``, ``RemoveBlock``, ``Block``, ``Ref``);
- ``source``: a ``.tf`` file's text, parse tree and lines;
- ``layout``: lines as ``terraform fmt`` sees them; operations composed into text edits that keep its alignment;
- ``resolve``: a declared fix -> operations on files (or "no fix", and why);
- ``workspace``: the texts while fixing, and writing them safely;
- ``run``: the passes of ``--fix``, and the proposals SARIF carries.
"""
