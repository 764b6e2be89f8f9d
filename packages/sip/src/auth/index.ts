export { type DigestError, type DigestErrorTag } from "./digest-errors.js";
export {
  DIGEST_ALGORITHMS,
  DIGEST_QOPS,
  type DigestAlgorithm,
  type DigestQop,
  type DigestSecret,
  type DigestResponseInput,
  parseDigestAlgorithm,
  parseDigestQop,
  digestHa1,
  digestSessionHa1,
  digestResponse,
  digestRspauth,
  verifyDigestResponse,
} from "./digest.js";
export { type CheckedCredentials, type VerifyContext, readDigestCredentials, verifyDigestCredentials } from "./verify-credentials.js";
export { AKA_NONCE_LAYOUT, type AkaNonceParts, buildAkaNonce, splitAkaNonce, decodeAuts, encodeAuts, akaHa1 } from "./aka-digest.js";
export { type DigestAnswerSecret, type DigestAnswerRequest, type DigestAnswerOptions, answerDigestChallenge } from "./uac.js";
