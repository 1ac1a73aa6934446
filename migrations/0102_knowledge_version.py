"""A stamp that changes with every change to the drug knowledge base, so each process reads
the knowledge base again only when it has changed (screening stays quick at any size)."""

import secrets

from peewee import *


def up(migrator, db):
    class KnowledgeVersion(Model):
        stamp = CharField(max_length=32)

        class Meta:
            database = db
            table_name = "knowledge_version"

    db.create_tables([KnowledgeVersion])
    KnowledgeVersion.create(stamp=secrets.token_hex(16))


def down(migrator, db):
    migrator.migrate(migrator.drop_table("knowledge_version"))
