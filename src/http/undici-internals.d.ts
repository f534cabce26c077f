// undici's internal modules ship without types; src/http/undici.ts casts what it takes from them.
declare module "undici/lib/*";
