"""The floor for `rel import mbox`: the standard library's mailbox iterating the same mbox and
reading the headers the harvest reads (no store, no rules).

    python benchmarks/mbox_floor.py benchmarks/out/mail-100k.mbox
"""

import mailbox
import sys

HEADERS = ("From", "To", "Cc", "Date", "Subject", "Message-ID", "List-Id", "Precedence")

count = 0
for message in mailbox.mbox(sys.argv[1], create=False):
    for header in HEADERS:
        message.get(header)
    count += 1
print(count)
