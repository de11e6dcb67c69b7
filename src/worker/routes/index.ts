// One resource per file; app.ts mounts them all here.
export { healthRoutes } from "./health";
export { registerDocs } from "./docs";
