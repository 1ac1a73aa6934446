"""Wrong PINs counted against the account that opened the terminal, not only the terminal.

A password sign-in starts a new terminal, so a count kept on the terminal alone starts
again from nothing at every sign-in (OWASP ASVS 2.2.1, NIST SP 800-63B 5.2.2: failed
attempts are limited per account). The user row now keeps the wrong PINs typed at any
terminal that account signed in to, and until when PIN entry there is locked.
"""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("user", "pin_entry_failures", IntegerField(default=0)),
        migrator.add_column("user", "last_pin_entry_failure_at", DateTimeField(null=True)),
        migrator.add_column("user", "pin_entry_locked_until", DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("user", "pin_entry_locked_until"),
        migrator.drop_column("user", "last_pin_entry_failure_at"),
        migrator.drop_column("user", "pin_entry_failures"),
    )
