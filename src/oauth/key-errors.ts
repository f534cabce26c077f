/** The key's file is encrypted and no passphrase was given. */
export class PassphraseNeededError extends Error {
  override readonly name = "PassphraseNeededError";
}

/** The file is not a private key we can use (the message says why). */
export class UnusableKeyError extends Error {
  override readonly name = "UnusableKeyError";
}
