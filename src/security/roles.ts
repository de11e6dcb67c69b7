// The role → permission model (SPEC §5). Pure data and one lookup; routes call `can` (through the auth helpers),
// they never compare role names themselves. Anything not granted here is denied: new permissions start admin-only.
//
// - admin:    everything.
// - operator: register, run, resume, cancel and read workflows/executions; manage schedules and webhooks.
//             Not: deleting workflow versions, secrets (even names), API keys.
// - viewer:   read workflows, executions and schedules. Not secrets, not even their names: the secrets list is
//             admin-only so that a read-only token reveals nothing about what credentials exist.
// - worker:   the worker protocol only. What a worker may see of an execution comes through that protocol for the
//             task it was handed; `execution:read` would expose every execution, so workers do not get it.

export const ROLES = ["admin", "operator", "viewer", "worker"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "workflow:read",
  "workflow:register",
  "workflow:delete",
  "execution:run",
  "execution:resume",
  "execution:cancel",
  "execution:read",
  "secret:read-names",
  "secret:write",
  "secret:read-value",
  "key:manage",
  "schedule:manage",
  "schedule:read",
  "webhook:manage",
  "worker:protocol",
  /** Admin-only operations with no finer permission (e.g. secret rotation, maintenance). */
  "admin:*",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set(PERMISSIONS),
  operator: new Set<Permission>([
    "workflow:read",
    "workflow:register",
    "execution:run",
    "execution:resume",
    "execution:cancel",
    "execution:read",
    "schedule:manage",
    "schedule:read",
    "webhook:manage",
  ]),
  viewer: new Set<Permission>(["workflow:read", "execution:read", "schedule:read"]),
  worker: new Set<Permission>(["worker:protocol"]),
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && (PERMISSIONS as readonly string[]).includes(value);
}

/** Whether `role` holds `permission`. Unknown roles or permissions (e.g. from a stale row) are denied. */
export function can(role: Role, permission: Permission): boolean {
  return Object.hasOwn(GRANTS, role) ? GRANTS[role].has(permission) : false;
}

export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((permission) => can(role, permission));
}
