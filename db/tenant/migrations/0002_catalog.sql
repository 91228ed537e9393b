CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`parent_id` text,
	`name` text NOT NULL,
	`type_id` text,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`type_id`) REFERENCES `product_types`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `categories_parent` ON `categories` (`parent_id`,`position`);--> statement-breakpoint
CREATE TABLE `product_types` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`attributes` text NOT NULL,
	`specs` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `product_types_name_unique` ON `product_types` (`name`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`category_id` text NOT NULL,
	`type_id` text,
	`title` text NOT NULL,
	`subtitle` text DEFAULT '' NOT NULL,
	`description_html` text DEFAULT '' NOT NULL,
	`images` text NOT NULL,
	`attributes` text NOT NULL,
	`specs` text NOT NULL,
	`price_min` integer NOT NULL,
	`price_max` integer NOT NULL,
	`market_price` integer,
	`status` text DEFAULT 'off' NOT NULL,
	`sales` integer DEFAULT 0 NOT NULL,
	`low_stock_threshold` integer DEFAULT 0 NOT NULL,
	`auto_off_shelf` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`type_id`) REFERENCES `product_types`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "products_status" CHECK("products"."status" in ('on','off')),
	CONSTRAINT "products_prices" CHECK("products"."price_min" >= 0 AND "products"."price_max" >= "products"."price_min" AND ("products"."market_price" IS NULL OR "products"."market_price" >= 0)),
	CONSTRAINT "products_sales" CHECK("products"."sales" >= 0),
	CONSTRAINT "products_low_stock" CHECK("products"."low_stock_threshold" >= 0)
);
--> statement-breakpoint
CREATE INDEX `products_listing` ON `products` (`status`,`category_id`,`id`);--> statement-breakpoint
CREATE INDEX `products_by_sales` ON `products` (`status`,`sales`,`id`);--> statement-breakpoint
CREATE INDEX `products_by_price` ON `products` (`status`,`price_min`,`id`);--> statement-breakpoint
CREATE TABLE `skus` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`spec_key` text NOT NULL,
	`specs` text NOT NULL,
	`price` integer NOT NULL,
	`market_price` integer,
	`stock` integer NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "skus_price" CHECK("skus"."price" >= 0 AND ("skus"."market_price" IS NULL OR "skus"."market_price" >= 0)),
	CONSTRAINT "skus_stock" CHECK("skus"."stock" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `skus_product_spec` ON `skus` (`product_id`,`spec_key`);--> statement-breakpoint
CREATE INDEX `skus_low_stock` ON `skus` (`stock`);--> statement-breakpoint
CREATE TABLE `stock_movements` (
	`id` text PRIMARY KEY NOT NULL,
	`sku_id` text NOT NULL,
	`delta` integer NOT NULL,
	`reason` text NOT NULL,
	`ref` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stock_movements_sku` ON `stock_movements` (`sku_id`,`created_at`);