// The full role × permission matrix: any change to who may do what must show up as a diff here.
import { describe, expect, it } from "vitest";
import {
  can,
  isPermission,
  isRole,
  PERMISSIONS,
  permissionsOf,
  ROLES,
  type Permission,
  type Role,
} from "../../src/security";

const EXPECTED: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  operator: [
    "workflow:read",
    "workflow:register",
    "execution:run",
    "execution:resume",
    "execution:cancel",
    "execution:read",
    "schedule:manage",
    "schedule:read",
    "webhook:manage",
  ],
  viewer: ["workflow:read", "execution:read", "schedule:read"],
  worker: ["worker:protocol"],
};

describe("roles", () => {
  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      const expected = EXPECTED[role].includes(permission);
      it(`${role} ${expected ? "can" : "cannot"} ${permission}`, () => {
        expect(can(role, permission)).toBe(expected);
      });
    }
  }

  it("lists permissions per role", () => {
    for (const role of ROLES) expect(permissionsOf(role).sort()).toEqual([...EXPECTED[role]].sort());
  });

  it("keeps secrets and keys admin-only", () => {
    for (const permission of [
      "secret:read-names",
      "secret:write",
      "secret:read-value",
      "key:manage",
    ] as const) {
      expect(ROLES.filter((role) => can(role, permission))).toEqual(["admin"]);
    }
  });

  it("denies unknown roles and validates names", () => {
    expect(can("root" as Role, "workflow:read")).toBe(false);
    expect(can("toString" as Role, "workflow:read")).toBe(false);
    expect(can("admin", "nope" as Permission)).toBe(false);
    expect(isRole("viewer")).toBe(true);
    expect(isRole("root")).toBe(false);
    expect(isRole(undefined)).toBe(false);
    expect(isPermission("execution:run")).toBe(true);
    expect(isPermission("execution:*")).toBe(false);
  });
});
