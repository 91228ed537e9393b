CREATE TABLE `plugin_guards` (
	`slot` integer NOT NULL,
	`holds` integer NOT NULL,
	CONSTRAINT "plugin_guards_slot" CHECK("plugin_guards"."slot" >= 0 AND "plugin_guards"."slot" < 8),
	CONSTRAINT "plugin_guard_0" CHECK("plugin_guards"."slot" <> 0 OR "plugin_guards"."holds" = 1),
	CONSTRAINT "plugin_guard_1" CHECK("plugin_guards"."slot" <> 1 OR "plugin_guards"."holds" = 1),
	CONSTRAINT "plugin_guard_2" CHECK("plugin_guards"."slot" <> 2 OR "plugin_guards"."holds" = 1),
	CONSTRAINT "plugin_guard_3" CHECK("plugin_guards"."slot" <> 3 OR "plugin_guards"."holds" = 1),
	CONSTRAINT "plugin_guard_4" CHECK("plugin_guards"."slot" <> 4 OR "plugin_guards"."holds" = 1),
	CONSTRAINT "plugin_guard_5" CHECK("plugin_guards"."slot" <> 5 OR "plugin_guards"."holds" = 1),
	CONSTRAINT "plugin_guard_6" CHECK("plugin_guards"."slot" <> 6 OR "plugin_guards"."holds" = 1),
	CONSTRAINT "plugin_guard_7" CHECK("plugin_guards"."slot" <> 7 OR "plugin_guards"."holds" = 1)
);
--> statement-breakpoint
ALTER TABLE `orders` ADD `offers` text;