CREATE TABLE `addresses` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`name` text NOT NULL,
	`phone` text NOT NULL,
	`province` text NOT NULL,
	`city` text NOT NULL,
	`district` text NOT NULL,
	`detail` text NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `addresses_member` ON `addresses` (`member_id`);--> statement-breakpoint
CREATE TABLE `cart_items` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "cart_items_quantity" CHECK("cart_items"."quantity" BETWEEN 1 AND 999)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cart_items_member_sku` ON `cart_items` (`member_id`,`sku_id`);--> statement-breakpoint
CREATE TABLE `cart_shares` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`items` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `order_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`product_id` text NOT NULL,
	`title` text NOT NULL,
	`specs` text NOT NULL,
	`image` text,
	`unit_price` integer NOT NULL,
	`quantity` integer NOT NULL,
	`discount` integer DEFAULT 0 NOT NULL,
	`paid_amount` integer NOT NULL,
	`refunded_amount` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "order_lines_money" CHECK("order_lines"."unit_price" >= 0 AND "order_lines"."quantity" >= 1 AND "order_lines"."discount" >= 0 AND "order_lines"."paid_amount" = "order_lines"."unit_price" * "order_lines"."quantity" - "order_lines"."discount" AND "order_lines"."refunded_amount" BETWEEN 0 AND "order_lines"."paid_amount")
);
--> statement-breakpoint
CREATE INDEX `order_lines_order` ON `order_lines` (`order_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`order_no` text NOT NULL,
	`member_id` text NOT NULL,
	`client_key` text NOT NULL,
	`status` text NOT NULL,
	`channel` text NOT NULL,
	`items_total` integer NOT NULL,
	`discount_total` integer DEFAULT 0 NOT NULL,
	`shipping_fee` integer NOT NULL,
	`pay_total` integer NOT NULL,
	`address` text NOT NULL,
	`remark` text DEFAULT '' NOT NULL,
	`upline` text,
	`distributor_shop_id` text,
	`expires_at` integer NOT NULL,
	`paid_at` integer,
	`closed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "orders_status" CHECK("orders"."status" in ('pending_payment','paid','shipped','received','completed','cancelled','closed','refunding','refunded')),
	CONSTRAINT "orders_money" CHECK("orders"."items_total" >= 0 AND "orders"."discount_total" >= 0 AND "orders"."shipping_fee" >= 0 AND "orders"."pay_total" >= 0 AND "orders"."pay_total" = "orders"."items_total" - "orders"."discount_total" + "orders"."shipping_fee")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_order_no_unique` ON `orders` (`order_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_member_client_key` ON `orders` (`member_id`,`client_key`);--> statement-breakpoint
CREATE INDEX `orders_member_created` ON `orders` (`member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_status_expires` ON `orders` (`status`,`expires_at`);--> statement-breakpoint
CREATE TABLE `payment_intents` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`provider` text NOT NULL,
	`amount` integer NOT NULL,
	`status` text NOT NULL,
	`external_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "payment_intents_amount" CHECK("payment_intents"."amount" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_intents_external_id_unique` ON `payment_intents` (`external_id`);--> statement-breakpoint
CREATE INDEX `payment_intents_order` ON `payment_intents` (`order_id`);--> statement-breakpoint
CREATE TABLE `payment_notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`intent_id` text,
	`outcome` text NOT NULL,
	`detail` text NOT NULL,
	`created_at` integer NOT NULL
);
