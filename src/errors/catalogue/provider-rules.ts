import type { DescriptionRule } from "./types.js";
export const PROVIDER_RULES: readonly DescriptionRule[] = [];
