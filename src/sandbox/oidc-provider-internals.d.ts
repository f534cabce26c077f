// oidc-provider's DPoP checks are not part of its typed API; src/sandbox/token-exchange.ts casts what it returns.
declare module "oidc-provider/lib/helpers/validate_dpop.js";
declare module "oidc-provider/lib/helpers/sender_constraints.js";
