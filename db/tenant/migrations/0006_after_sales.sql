CREATE TABLE `after_sales` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`member_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`images` text NOT NULL,
	`lines` text NOT NULL,
	`amount` integer NOT NULL,
	`reject_reason` text,
	`return_carrier` text,
	`return_tracking_no` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "after_sales_kind" CHECK("after_sales"."kind" in ('refund','return_refund','exchange')),
	CONSTRAINT "after_sales_status" CHECK("after_sales"."status" in ('requested','awaiting_return','returned','refunded','exchanged','rejected','cancelled')),
	CONSTRAINT "after_sales_amount" CHECK("after_sales"."amount" >= 0)
);
--> statement-breakpoint
CREATE INDEX `after_sales_order` ON `after_sales` (`order_id`);--> statement-breakpoint
CREATE INDEX `after_sales_status` ON `after_sales` (`status`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `after_sales_one_open` ON `after_sales` (`order_id`) WHERE status in ('requested','awaiting_return','returned');--> statement-breakpoint
CREATE TABLE `outbox_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_events_pending` ON `outbox_events` (`delivered_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`after_sale_id` text NOT NULL,
	`order_id` text NOT NULL,
	`intent_id` text NOT NULL,
	`amount` integer NOT NULL,
	`status` text NOT NULL,
	`external_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`after_sale_id`) REFERENCES `after_sales`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`intent_id`) REFERENCES `payment_intents`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "refunds_amount" CHECK("refunds"."amount" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `refunds_external_id_unique` ON `refunds` (`external_id`);--> statement-breakpoint
CREATE INDEX `refunds_order` ON `refunds` (`order_id`);