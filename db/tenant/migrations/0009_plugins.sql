CREATE TABLE `plugin_deliveries` (
	`event_id` text NOT NULL,
	`plugin_id` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`delivered_at` integer,
	`last_error` text,
	`next_attempt_at` integer NOT NULL,
	PRIMARY KEY(`event_id`, `plugin_id`),
	FOREIGN KEY (`event_id`) REFERENCES `outbox_events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `plugin_deliveries_due` ON `plugin_deliveries` (`delivered_at`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `plugin_installs` (
	`plugin_id` text PRIMARY KEY NOT NULL,
	`version` text NOT NULL,
	`source` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`critical` integer DEFAULT false NOT NULL,
	`position` integer DEFAULT 100 NOT NULL,
	`settings` text NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`switched_off_at` integer,
	`switched_off_reason` text,
	`installed_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "plugin_installs_source" CHECK("plugin_installs"."source" in ('first_party','marketplace')),
	CONSTRAINT "plugin_installs_failures" CHECK("plugin_installs"."failures" >= 0)
);
--> statement-breakpoint
CREATE TABLE `plugin_migrations` (
	`plugin_id` text NOT NULL,
	`step` integer NOT NULL,
	`version` text NOT NULL,
	`applied_at` integer NOT NULL,
	PRIMARY KEY(`plugin_id`, `step`)
);
