ALTER TABLE `orders` ADD `plugins` text;
--> statement-breakpoint
-- Orders from before: the plugins installed when each was placed hear its later events, as they did.
UPDATE `orders` SET `plugins` = (SELECT json_group_array(`plugin_id`) FROM `plugin_installs` WHERE `installed_at` <= `orders`.`created_at`)
WHERE EXISTS (SELECT 1 FROM `plugin_installs` WHERE `installed_at` <= `orders`.`created_at`);
