CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`recipient_kind` text NOT NULL,
	`recipient_id` text,
	`type` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`ref` text,
	`read_at` integer,
	`created_at` integer NOT NULL,
	CONSTRAINT "notifications_kind" CHECK("notifications"."recipient_kind" in ('member','staff'))
);
--> statement-breakpoint
CREATE INDEX `notifications_recipient` ON `notifications` (`recipient_kind`,`recipient_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`order_line_id` text NOT NULL,
	`product_id` text NOT NULL,
	`member_id` text NOT NULL,
	`rating` integer NOT NULL,
	`text` text NOT NULL,
	`images` text NOT NULL,
	`hidden` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reviews_rating" CHECK("reviews"."rating" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reviews_order_line_id_unique` ON `reviews` (`order_line_id`);--> statement-breakpoint
CREATE INDEX `reviews_product` ON `reviews` (`product_id`,`hidden`,`created_at`);