// oidc-provider's DPoP check is not part of its typed API; src/sandbox/token-exchange.ts casts what it returns.
declare module "oidc-provider/lib/helpers/validate_dpop.js";
