-- What a reviewer approved is what runs: once a version leaves draft its manifest, bundle and
-- number never change, it is never deleted, and its status moves only along the review flow.
CREATE TRIGGER `plugin_versions_frozen` BEFORE UPDATE ON `plugin_versions`
WHEN OLD.`status` <> 'draft' AND (NEW.`manifest` IS NOT OLD.`manifest` OR NEW.`bundle` IS NOT OLD.`bundle`
  OR NEW.`capabilities` IS NOT OLD.`capabilities` OR NEW.`version` IS NOT OLD.`version`
  OR NEW.`version_key` IS NOT OLD.`version_key` OR NEW.`plugin_id` IS NOT OLD.`plugin_id`)
BEGIN
  SELECT RAISE(ABORT, 'plugin_versions_frozen: a submitted version is immutable');
END;
--> statement-breakpoint
CREATE TRIGGER `plugin_versions_flow` BEFORE UPDATE OF `status` ON `plugin_versions`
WHEN NEW.`status` IS NOT OLD.`status` AND NOT (
  (OLD.`status` = 'draft' AND NEW.`status` = 'submitted')
  OR (OLD.`status` = 'submitted' AND NEW.`status` IN ('approved', 'rejected'))
  OR (OLD.`status` = 'approved' AND NEW.`status` = 'published'))
BEGIN
  SELECT RAISE(ABORT, 'plugin_versions_flow: this status change skips the review');
END;
--> statement-breakpoint
CREATE TRIGGER `plugin_versions_kept` BEFORE DELETE ON `plugin_versions`
WHEN OLD.`status` <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'plugin_versions_kept: only a draft can be deleted');
END;
