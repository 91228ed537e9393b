DROP INDEX `products_by_sales`;--> statement-breakpoint
CREATE INDEX `products_by_sales` ON `products` (`status`,`sales`,`id`,`price_min`,`price_max`,`deleted_at`);