import type { CatalogueEntry } from "../types.js";
export const PROVIDER_ENTRIES: readonly CatalogueEntry[] = [];
