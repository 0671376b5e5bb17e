# Replays a drgn session of docs/lab-6.md, as if typed at drgn's prompt.
# The docs test (bats/lab-6.bats) runs it as a drgn script in
# common/postmortem's sandbox, after a first line that sets SESSION to the
# session's lines. Each line is echoed after ">>> " (or "... " inside a
# block); the interactive interpreter runs it with what drgn's prompt
# imports, and prints values as drgn's prompt does.
import code
import sys

import drgn
from drgn.internal.cli import displayhook

session = dict(globals())
session.update({name: getattr(drgn, name) for name in (
    "NULL", "Object", "cast", "container_of", "execscript", "offsetof",
    "reinterpret", "sizeof")})
console = code.InteractiveConsole(session)
console.push("from drgn.helpers.common import *")
console.push("from drgn.helpers.linux import *")
sys.displayhook = displayhook
more = False
for line in SESSION.splitlines():  # noqa: F821 (set by the first line)
    print(("... " if more else ">>> ") + line, flush=True)
    more = console.push(line)
    sys.stdout.flush()
    sys.stderr.flush()
