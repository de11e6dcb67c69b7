CREATE TABLE `api_keys` (
	`name` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`expires_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `executions` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_name` text NOT NULL,
	`workflow_version` integer NOT NULL,
	`state` text NOT NULL,
	`parent_execution_id` text,
	`idempotency_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `executions_idempotency_key_unique` ON `executions` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `executions_workflow_created` ON `executions` (`workflow_name`,`created_at`);--> statement-breakpoint
CREATE INDEX `executions_state` ON `executions` (`state`);--> statement-breakpoint
CREATE INDEX `executions_created_id` ON `executions` (`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `secrets` (
	`name` text PRIMARY KEY NOT NULL,
	`ciphertext` text NOT NULL,
	`iv` text NOT NULL,
	`key_version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `workflow_versions` (
	`workflow_name` text NOT NULL,
	`version` integer NOT NULL,
	`hash` text NOT NULL,
	`source_kind` text NOT NULL,
	`source` text,
	`metadata` text NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workflow_name`) REFERENCES `workflows`(`name`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_versions_name_version` ON `workflow_versions` (`workflow_name`,`version`);--> statement-breakpoint
CREATE INDEX `workflow_versions_name_hash` ON `workflow_versions` (`workflow_name`,`hash`);--> statement-breakpoint
CREATE TABLE `workflows` (
	`name` text PRIMARY KEY NOT NULL,
	`namespace` text DEFAULT 'default' NOT NULL,
	`latest_version` integer NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
