/** Errors of the contract capability. Messages name files and fields, never personal data. */

/** A key, certificate or keyring file is missing or unusable (fails startup). */
export class ContractKeyError extends Error {
  override name = 'ContractKeyError';
}

/** A template, the evidence or the product terms do not fit together. */
export class ContractInputError extends Error {
  override name = 'ContractInputError';
}
