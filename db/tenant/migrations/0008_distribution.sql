CREATE TABLE `binding_events` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`distributor_id` text NOT NULL,
	`previous_distributor_id` text,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `binding_events_member` ON `binding_events` (`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `commission_overrides` (
	`scope` text NOT NULL,
	`target_id` text NOT NULL,
	`rule` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `target_id`),
	CONSTRAINT "commission_overrides_scope" CHECK("commission_overrides"."scope" in ('product','category'))
);
--> statement-breakpoint
CREATE TABLE `commissions` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`order_line_id` text NOT NULL,
	`distributor_id` text NOT NULL,
	`level` integer NOT NULL,
	`base` integer NOT NULL,
	`rate_mode` text NOT NULL,
	`rate` integer NOT NULL,
	`amount` integer NOT NULL,
	`reversed` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`paid_week` text,
	`paid_month` text,
	`settle_after` integer,
	`settled_at` integer,
	`settlement_period` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`distributor_id`) REFERENCES `distributors`(`member_id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "commissions_level" CHECK("commissions"."level" BETWEEN 1 AND 3),
	CONSTRAINT "commissions_money" CHECK("commissions"."base" >= 0 AND "commissions"."rate" >= 0 AND "commissions"."amount" >= 0 AND "commissions"."reversed" BETWEEN 0 AND "commissions"."amount"),
	CONSTRAINT "commissions_status" CHECK("commissions"."status" in ('awaiting_payment','pending','frozen','settled','cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commissions_line_level` ON `commissions` (`order_line_id`,`level`);--> statement-breakpoint
CREATE INDEX `commissions_order` ON `commissions` (`order_id`);--> statement-breakpoint
CREATE INDEX `commissions_distributor` ON `commissions` (`distributor_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `commissions_due` ON `commissions` (`status`,`settle_after`);--> statement-breakpoint
CREATE TABLE `distributor_grades` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`rank` integer NOT NULL,
	`rates` text,
	`min_sales` integer,
	`min_team` integer,
	`min_direct` integer,
	`match` text DEFAULT 'all' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "distributor_grades_rank" CHECK("distributor_grades"."rank" >= 1),
	CONSTRAINT "distributor_grades_conditions" CHECK(coalesce("distributor_grades"."min_sales", 0) >= 0 AND coalesce("distributor_grades"."min_team", 0) >= 0 AND coalesce("distributor_grades"."min_direct", 0) >= 0 AND "distributor_grades"."match" in ('all','any'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `distributor_grades_name_unique` ON `distributor_grades` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `distributor_grades_rank_unique` ON `distributor_grades` (`rank`);--> statement-breakpoint
CREATE TABLE `distributor_products` (
	`distributor_id` text NOT NULL,
	`product_id` text NOT NULL,
	PRIMARY KEY(`distributor_id`, `product_id`),
	FOREIGN KEY (`distributor_id`) REFERENCES `distributors`(`member_id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `distributors` (
	`member_id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`grade_id` text,
	`grade_rank` integer DEFAULT 0 NOT NULL,
	`parent_id` text,
	`grandparent_id` text,
	`great_grandparent_id` text,
	`invite_code` text,
	`shop_name` text NOT NULL,
	`shop_logo` text,
	`shop_banner` text,
	`shop_scope` text DEFAULT 'all' NOT NULL,
	`apply_note` text DEFAULT '' NOT NULL,
	`reject_reason` text,
	`payout_account` text,
	`direct_count` integer DEFAULT 0 NOT NULL,
	`team_l2_count` integer DEFAULT 0 NOT NULL,
	`team_l3_count` integer DEFAULT 0 NOT NULL,
	`own_sales` integer DEFAULT 0 NOT NULL,
	`team_sales` integer DEFAULT 0 NOT NULL,
	`own_orders` integer DEFAULT 0 NOT NULL,
	`applied_at` integer NOT NULL,
	`approved_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`grade_id`) REFERENCES `distributor_grades`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "distributors_status" CHECK("distributors"."status" in ('pending','active','rejected','disabled')),
	CONSTRAINT "distributors_not_own_parent" CHECK("distributors"."parent_id" IS NULL OR ("distributors"."parent_id" <> "distributors"."member_id" AND coalesce("distributors"."grandparent_id", '') <> "distributors"."member_id" AND coalesce("distributors"."great_grandparent_id", '') <> "distributors"."member_id")),
	CONSTRAINT "distributors_counters" CHECK("distributors"."direct_count" >= 0 AND "distributors"."team_l2_count" >= 0 AND "distributors"."team_l3_count" >= 0 AND "distributors"."own_sales" >= 0 AND "distributors"."team_sales" >= 0 AND "distributors"."own_orders" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `distributors_invite_code_unique` ON `distributors` (`invite_code`);--> statement-breakpoint
CREATE INDEX `distributors_status` ON `distributors` (`status`,`applied_at`);--> statement-breakpoint
CREATE INDEX `distributors_parent` ON `distributors` (`parent_id`,`approved_at`);--> statement-breakpoint
CREATE INDEX `distributors_grandparent` ON `distributors` (`grandparent_id`,`approved_at`);--> statement-breakpoint
CREATE INDEX `distributors_great_grandparent` ON `distributors` (`great_grandparent_id`,`approved_at`);--> statement-breakpoint
CREATE INDEX `distributors_grade` ON `distributors` (`grade_id`);--> statement-breakpoint
CREATE TABLE `member_bindings` (
	`member_id` text PRIMARY KEY NOT NULL,
	`distributor_id` text NOT NULL,
	`source` text NOT NULL,
	`bound_at` integer NOT NULL,
	`expires_at` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`distributor_id`) REFERENCES `distributors`(`member_id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "member_bindings_not_self" CHECK("member_bindings"."member_id" <> "member_bindings"."distributor_id")
);
--> statement-breakpoint
CREATE INDEX `member_bindings_distributor` ON `member_bindings` (`distributor_id`,`bound_at`);--> statement-breakpoint
CREATE TABLE `payout_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`method` text NOT NULL,
	`period` text,
	`items` integer NOT NULL,
	`amount` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payout_batches_period_unique` ON `payout_batches` (`period`);--> statement-breakpoint
CREATE TABLE `sales_board` (
	`period` text NOT NULL,
	`distributor_id` text NOT NULL,
	`amount` integer NOT NULL,
	PRIMARY KEY(`period`, `distributor_id`),
	FOREIGN KEY (`distributor_id`) REFERENCES `distributors`(`member_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sales_board_rank` ON `sales_board` (`period`,`amount`);--> statement-breakpoint
CREATE TABLE `settlement_runs` (
	`period` text PRIMARY KEY NOT NULL,
	`period_end` integer NOT NULL,
	`distributors` integer NOT NULL,
	`amount` integer NOT NULL,
	`ran_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settlement_statements` (
	`period` text NOT NULL,
	`distributor_id` text NOT NULL,
	`commissions` integer NOT NULL,
	`amount` integer NOT NULL,
	`debt_paid` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`period`, `distributor_id`),
	FOREIGN KEY (`distributor_id`) REFERENCES `distributors`(`member_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `settlement_statements_distributor` ON `settlement_statements` (`distributor_id`,`period`);--> statement-breakpoint
CREATE TABLE `share_materials` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`text` text NOT NULL,
	`images` text NOT NULL,
	`product_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "share_materials_kind" CHECK("share_materials"."kind" in ('single','multi','nine'))
);
--> statement-breakpoint
CREATE INDEX `share_materials_created` ON `share_materials` (`created_at`);--> statement-breakpoint
CREATE TABLE `wallet_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`batch_id` text NOT NULL,
	`distributor_id` text NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`pending` integer DEFAULT 0 NOT NULL,
	`frozen` integer DEFAULT 0 NOT NULL,
	`available` integer DEFAULT 0 NOT NULL,
	`reserved` integer DEFAULT 0 NOT NULL,
	`withdrawn` integer DEFAULT 0 NOT NULL,
	`debt` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`distributor_id`) REFERENCES `distributors`(`member_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `wallet_entries_batch` ON `wallet_entries` (`batch_id`);--> statement-breakpoint
CREATE INDEX `wallet_entries_distributor` ON `wallet_entries` (`distributor_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `wallets` (
	`distributor_id` text PRIMARY KEY NOT NULL,
	`pending` integer DEFAULT 0 NOT NULL,
	`frozen` integer DEFAULT 0 NOT NULL,
	`available` integer DEFAULT 0 NOT NULL,
	`reserved` integer DEFAULT 0 NOT NULL,
	`withdrawn` integer DEFAULT 0 NOT NULL,
	`debt` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`distributor_id`) REFERENCES `distributors`(`member_id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "wallets_available" CHECK("wallets"."available" >= 0),
	CONSTRAINT "wallets_buckets" CHECK("wallets"."pending" >= 0 AND "wallets"."frozen" >= 0 AND "wallets"."reserved" >= 0 AND "wallets"."withdrawn" >= 0 AND "wallets"."debt" >= 0)
);
--> statement-breakpoint
CREATE TABLE `withdrawals` (
	`id` text PRIMARY KEY NOT NULL,
	`distributor_id` text NOT NULL,
	`amount` integer NOT NULL,
	`fee` integer NOT NULL,
	`net` integer NOT NULL,
	`method` text NOT NULL,
	`account` text NOT NULL,
	`status` text NOT NULL,
	`day` text NOT NULL,
	`batch_id` text,
	`reason` text,
	`external_id` text,
	`reviewed_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`distributor_id`) REFERENCES `distributors`(`member_id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `payout_batches`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "withdrawals_money" CHECK("withdrawals"."amount" > 0 AND "withdrawals"."fee" >= 0 AND "withdrawals"."net" = "withdrawals"."amount" - "withdrawals"."fee" AND "withdrawals"."net" > 0),
	CONSTRAINT "withdrawals_status" CHECK("withdrawals"."status" in ('pending','approved','paying','paid','rejected','failed')),
	CONSTRAINT "withdrawals_method" CHECK("withdrawals"."method" in ('wechat','alipay','bank','offline'))
);
--> statement-breakpoint
CREATE INDEX `withdrawals_distributor` ON `withdrawals` (`distributor_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `withdrawals_daily` ON `withdrawals` (`distributor_id`,`day`);--> statement-breakpoint
CREATE INDEX `withdrawals_status` ON `withdrawals` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `withdrawals_batch` ON `withdrawals` (`batch_id`);--> statement-breakpoint
CREATE INDEX `orders_distributor_shop` ON `orders` (`distributor_shop_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_completed` ON `orders` (`completed_at`);