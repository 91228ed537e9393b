CREATE TABLE `invariant_guards` (
	`name` text NOT NULL,
	`holds` integer NOT NULL,
	CONSTRAINT "invariant_guards_holds" CHECK("invariant_guards"."holds" = 1)
);
