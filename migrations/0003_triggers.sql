CREATE TABLE `schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`workflow_name` text NOT NULL,
	`schedule_type` text NOT NULL,
	`status` text NOT NULL,
	`view` text NOT NULL,
	`next_run_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `schedules_name_unique` ON `schedules` (`name`);--> statement-breakpoint
CREATE INDEX `schedules_workflow` ON `schedules` (`workflow_name`);--> statement-breakpoint
CREATE INDEX `schedules_created_id` ON `schedules` (`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`webhook_name` text NOT NULL,
	`delivery_id` text NOT NULL,
	`execution_id` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_name_id` ON `webhook_deliveries` (`webhook_name`,`delivery_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_received` ON `webhook_deliveries` (`received_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`name` text PRIMARY KEY NOT NULL,
	`workflow_name` text NOT NULL,
	`secret_ciphertext` text,
	`secret_iv` text,
	`secret_key_version` text,
	`signature` text DEFAULT 'hmac-sha256' NOT NULL,
	`header` text NOT NULL,
	`tolerance_s` integer NOT NULL,
	`delivery_id_header` text,
	`input_mode` text DEFAULT 'body' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
