"""The foundation every area stands on: database, config, settings, dates, money, digits,
forms, exports, locks and the registries areas add to. It imports no area."""
