CREATE TABLE `invariant_guards` (
	`name` text NOT NULL,
	`holds` integer NOT NULL,
	CONSTRAINT "invariant_guards_holds" CHECK("invariant_guards"."holds" = 1)
);
--> statement-breakpoint
CREATE TABLE `plugin_versions` (
	`plugin_id` text NOT NULL,
	`version` text NOT NULL,
	`version_key` text NOT NULL,
	`status` text NOT NULL,
	`manifest` text NOT NULL,
	`capabilities` text NOT NULL,
	`bundle` text NOT NULL,
	`review_note` text,
	`reviewer_account_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`submitted_at` integer,
	`reviewed_at` integer,
	`published_at` integer,
	PRIMARY KEY(`plugin_id`, `version`),
	FOREIGN KEY (`plugin_id`) REFERENCES `plugins`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reviewer_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "plugin_versions_status" CHECK("plugin_versions"."status" in ('draft','submitted','approved','rejected','published'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plugin_versions_precedence` ON `plugin_versions` (`plugin_id`,`version_key`);--> statement-breakpoint
CREATE INDEX `plugin_versions_queue` ON `plugin_versions` (`status`,`submitted_at`);--> statement-breakpoint
CREATE TABLE `plugins` (
	`id` text PRIMARY KEY NOT NULL,
	`author_account_id` text NOT NULL,
	`name` text NOT NULL,
	`summary` text NOT NULL,
	`description` text NOT NULL,
	`screenshots` text DEFAULT '[]' NOT NULL,
	`category` text NOT NULL,
	`published_version` text,
	`published_version_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`author_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "plugins_category" CHECK("plugins"."category" in ('marketing','sales','distribution','members','operations','analytics','other')),
	CONSTRAINT "plugins_published_pair" CHECK(("plugins"."published_version" is null) = ("plugins"."published_version_key" is null))
);
--> statement-breakpoint
CREATE INDEX `plugins_author` ON `plugins` (`author_account_id`);--> statement-breakpoint
CREATE INDEX `plugins_published` ON `plugins` (`published_version_key`);